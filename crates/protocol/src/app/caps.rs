//! Capabilities: the rights to create supply, to destroy it and to slash stake.
//!
//! A capability is a value only the app can make: each holds a [`Seal`], whose constructor is
//! private to this file, and the app alone asks for one (`grant`). It hands each module, through
//! its [`crate::modules::Ctx`], the capabilities that module's rules need — the bank's issuer
//! messages mint and burn the stablecoin, fees and the treasury burn, the compute market, staking
//! and compliance slash — and no message reaches one otherwise. Modules give capabilities their
//! methods (`impl Burner` lives in the bank); none can make one.

/// Proof that the app made a value: its field is private to this file.
#[derive(Debug)]
pub struct Seal(());

/// A set of capabilities the app can hand a module.
pub trait Capabilities: Sized {
    /// Makes the set from seals, which only the app can produce.
    fn grant(seal: &mut dyn FnMut() -> Seal) -> Self;
}

/// Grants `C`: the app's alone.
pub(in crate::app) fn grant<C: Capabilities>() -> C {
    C::grant(&mut || Seal(()))
}

/// Grants `C` to a module's own unit tests.
#[cfg(test)]
pub(crate) fn for_tests<C: Capabilities>() -> C {
    C::grant(&mut || Seal(()))
}

/// The right to create supply (the bank's `mint`).
#[derive(Debug)]
pub struct Minter(Seal);

/// The right to destroy supply (the bank's `burn`).
#[derive(Debug)]
pub struct Burner(Seal);

/// The right to slash stake (staking's `slash`), which burns what it takes.
#[derive(Debug)]
pub struct Slasher {
    burner: Burner,
}

impl Slasher {
    /// The burner a slash burns with.
    pub(crate) fn burner(&self) -> &Burner {
        &self.burner
    }
}

impl Capabilities for () {
    fn grant(_: &mut dyn FnMut() -> Seal) -> Self {}
}

impl Capabilities for Minter {
    fn grant(seal: &mut dyn FnMut() -> Seal) -> Self {
        Minter(seal())
    }
}

impl Capabilities for Burner {
    fn grant(seal: &mut dyn FnMut() -> Seal) -> Self {
        Burner(seal())
    }
}

impl Capabilities for Slasher {
    fn grant(seal: &mut dyn FnMut() -> Seal) -> Self {
        Slasher { burner: Burner::grant(seal) }
    }
}
