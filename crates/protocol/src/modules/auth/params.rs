//! auth has no params: the chain id is fixed at genesis and nonces follow one rule.
