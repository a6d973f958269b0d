//! treasury genesis: params, the book and the income by source. Epoch reports are history and are
//! not carried; the treasury never has an order between blocks.

use atelier_state::{StateError, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use super::{Book, Income, IncomeSource, TreasuryParams, state};
use crate::genesis::GenesisError;

/// One source's income.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SourceIncome {
    /// The source.
    pub source: IncomeSource,
    /// Its income.
    pub income: Income,
}

/// The treasury part of genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TreasuryGenesis {
    /// Parameters.
    #[serde(default)]
    pub params: TreasuryParams,
    /// The running state.
    #[serde(default = "Book::new")]
    pub book: Book,
    /// Income by source.
    #[serde(default)]
    pub income: Vec<SourceIncome>,
}

impl Default for TreasuryGenesis {
    fn default() -> Self {
        TreasuryGenesis { params: TreasuryParams::default(), book: Book::new(), income: Vec::new() }
    }
}

impl TreasuryGenesis {
    /// Checks the section and sorts it.
    pub fn normalize(mut self) -> Result<TreasuryGenesis, GenesisError> {
        self.params.validate().map_err(|e| GenesisError::section("treasury", e.to_string()))?;
        self.income.sort_by_key(|i| i.source);
        if self.income.windows(2).any(|w| w[0].source == w[1].source) {
            return Err(GenesisError::section("treasury", "one income entry per source"));
        }
        self.income.retain(|i| i.income != Income::default());
        Ok(self)
    }
}

pub(crate) fn init(state: &mut impl StateWrite, genesis: &TreasuryGenesis) {
    state::set_params(state, &genesis.params);
    state::set_book(state, &genesis.book);
    for entry in &genesis.income {
        state::set_income(state, entry.source, &entry.income);
    }
}

pub(crate) fn export(state: &impl StateRead) -> Result<TreasuryGenesis, StateError> {
    let mut income = Vec::new();
    for source in IncomeSource::ALL {
        let entry = state::income(state, source)?;
        if entry != Income::default() {
            income.push(SourceIncome { source, income: entry });
        }
    }
    Ok(TreasuryGenesis { params: state::params(state)?, book: state::book(state)?, income })
}
