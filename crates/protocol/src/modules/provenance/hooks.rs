//! Provenance has no hooks: assets are minted by settled jobs (compute's block end) and by
//! derivatives, and never change but for their owner.
