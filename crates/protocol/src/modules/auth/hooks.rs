//! auth has no hooks: the app records the block's height itself at the end of every block.
