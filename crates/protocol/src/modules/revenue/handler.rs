//! Executes revenue messages: check everything, then write.

use atelier_primitives::Address;
use atelier_state::StateWrite;

use super::{RevenueError, RevenueMsg, VaultId, state};
use crate::{
    event::Event,
    modules::{Ctx, Failure, rule},
};

type RevenueResult = Result<(), Failure<RevenueError>>;

/// Runs `msg` in the block `ctx` describes, sent by `ctx.sender`.
pub(crate) fn handle(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    ctx: &Ctx<()>,
    msg: &RevenueMsg,
) -> RevenueResult {
    let sender = &ctx.sender;
    match msg {
        RevenueMsg::ClaimRevenue { vault } => claim(state, events, sender, *vault),
        RevenueMsg::TransferShares { vault, to, units } => {
            state::transfer_shares(state, events, *vault, sender, to, *units)
        }
    }
}

fn claim(
    state: &mut impl StateWrite,
    events: &mut Vec<Event>,
    sender: &Address,
    id: VaultId,
) -> RevenueResult {
    let Some(mut vault) = state::vault_to_change(state, &id)? else {
        return rule(RevenueError::UnknownVault { vault: id });
    };
    let nothing = RevenueError::NothingToClaim { vault: id, holder: *sender };
    let Some(mut holding) = state::holding(state, &id, sender)? else { return rule(nothing) };
    let (gdc, usd) = state::settle_holding(state, events, &mut vault, sender, &mut holding)?;
    if gdc.is_zero() && usd.is_zero() {
        return rule(nothing);
    }
    state::put_holding(state, &id, sender, &holding);
    state::put_vault(state, &vault);
    Ok(())
}

#[cfg(test)]
mod tests {
    use atelier_primitives::{Amount, Denom};
    use atelier_state::{MemoryStore, Overlay};
    use proptest::prelude::*;

    use super::*;
    use crate::modules::{
        Ctx, bank,
        registry::ModelId,
        revenue::{SHARE_UNITS, query},
    };

    const PAYER: Address = Address([9; 20]);
    const ORIGIN: crate::modules::staking::Origin =
        crate::modules::staking::Origin { payer: PAYER, height: atelier_primitives::Height(1) };
    const VAULT: VaultId = VaultId::Model(ModelId(1));

    fn holder(i: u8) -> Address {
        Address([i + 1; 20])
    }

    /// A store with the vault open (all units with holder 0) and a funded payer.
    fn setup() -> MemoryStore {
        let mut store = MemoryStore::new();
        let mut state = Overlay::new(&store);
        for denom in [Denom::GDC, Denom::USD] {
            bank::init_balance(&mut state, &PAYER, &denom, Amount::new(u128::MAX / 4));
            bank::init_supply(&mut state, &denom, Amount::new(u128::MAX / 4), Amount::ZERO);
        }
        state::open(&mut state, &mut Vec::new(), VAULT, &holder(0));
        crate::modules::staking::genesis::init_default(&mut state);
        store.apply(state.into_changes()).unwrap();
        store
    }

    fn pay(store: &mut MemoryStore, denom: Denom, amount: u128) {
        let mut state = Overlay::new(&*store);
        state::pay_into(&mut state, &mut Vec::new(), &PAYER, &ORIGIN, VAULT, &denom, Amount::new(amount))
            .unwrap();
        store.apply(state.into_changes()).unwrap();
    }

    fn send(store: &mut MemoryStore, from: u8, msg: RevenueMsg) -> RevenueResult {
        let mut state = Overlay::new(&*store);
        let ctx = Ctx::for_tests(atelier_primitives::Height(1), holder(from));
        let result = handle(&mut state, &mut Vec::new(), &ctx, &msg);
        if result.is_ok() {
            store.apply(state.into_changes()).unwrap();
        }
        result
    }

    fn balance(store: &MemoryStore, who: u8, denom: Denom) -> u128 {
        bank::balance(store, &holder(who), &denom).unwrap().get()
    }

    #[test]
    fn a_transfer_mid_stream_pays_each_side_what_it_held_when_revenue_arrived() {
        let mut store = setup();
        pay(&mut store, Denom::GDC, 1_000);
        let quarter = SHARE_UNITS / 4;
        send(&mut store, 0, RevenueMsg::TransferShares { vault: VAULT, to: holder(1), units: quarter })
            .unwrap();
        assert_eq!(
            balance(&store, 0, Denom::GDC),
            1_000,
            "the seller was paid everything before the transfer"
        );
        pay(&mut store, Denom::GDC, 1_000);
        pay(&mut store, Denom::USD, 400);
        send(&mut store, 0, RevenueMsg::ClaimRevenue { vault: VAULT }).unwrap();
        send(&mut store, 1, RevenueMsg::ClaimRevenue { vault: VAULT }).unwrap();
        assert_eq!((balance(&store, 0, Denom::GDC), balance(&store, 1, Denom::GDC)), (1_750, 250));
        assert_eq!((balance(&store, 0, Denom::USD), balance(&store, 1, Denom::USD)), (300, 100));
        assert_eq!(
            send(&mut store, 1, RevenueMsg::ClaimRevenue { vault: VAULT }),
            Err(Failure::Rule(RevenueError::NothingToClaim { vault: VAULT, holder: holder(1) }))
        );
    }

    #[test]
    fn each_failure_has_its_code() {
        let mut store = setup();
        let unknown = VaultId::Model(ModelId(9));
        let codes = [
            (0, RevenueMsg::ClaimRevenue { vault: unknown }, 501),
            (0, RevenueMsg::ClaimRevenue { vault: VAULT }, 502),
            (1, RevenueMsg::TransferShares { vault: VAULT, to: holder(2), units: 1 }, 503),
            (0, RevenueMsg::TransferShares { vault: VAULT, to: holder(2), units: 0 }, 503),
            (0, RevenueMsg::TransferShares { vault: VAULT, to: holder(2), units: SHARE_UNITS + 1 }, 503),
            (0, RevenueMsg::TransferShares { vault: VAULT, to: holder(0), units: 1 }, 504),
        ];
        let before = store.root();
        for (from, msg, code) in codes {
            match send(&mut store, from, msg.clone()) {
                Err(Failure::Rule(error)) => assert_eq!(error.code(), code, "{msg:?}"),
                other => panic!("{msg:?}: {other:?}"),
            }
        }
        assert_eq!(store.root(), before);
    }

    proptest! {
        #[test]
        fn claims_plus_dust_equal_revenue_over_any_payments_and_transfers(
            steps in proptest::collection::vec((any::<bool>(), 0u8..5, 0u8..5, 1u64..SHARE_UNITS, 1u128..10_000_000), 1..40),
        ) {
            let mut store = setup();
            let mut paid = 0u128;
            for (is_payment, from, to, units, amount) in steps {
                if is_payment {
                    pay(&mut store, Denom::GDC, amount);
                    paid += amount;
                } else {
                    // Transfers the sender cannot make fail and change nothing.
                    let _ = send(&mut store, from, RevenueMsg::TransferShares { vault: VAULT, to: holder(to), units });
                }
            }
            for who in 0..5 {
                let _ = send(&mut store, who, RevenueMsg::ClaimRevenue { vault: VAULT });
            }
            let claimed: u128 = (0..5).map(|who| balance(&store, who, Denom::GDC)).sum();
            let dust = bank::balance(&store, &state::account(), &Denom::GDC).unwrap().get();
            prop_assert_eq!(claimed + dust, paid);
            prop_assert_eq!(query::owed(&store, &VAULT).unwrap().unwrap().0, Amount::ZERO);
            let violations = crate::modules::revenue::invariants::books(&store).unwrap();
            prop_assert!(violations.is_empty(), "{:?}", violations);
            let holders = state::vault(&store, &VAULT).unwrap().unwrap().holders;
            prop_assert!(holders >= 1);
        }
    }
}
