//! The registry has no hooks: datasets and models change only by their owners' messages, and
//! royalties accrue through an accumulator when they are paid, not at a block's end.
