//! auth keeps no books that could disagree: a nonce only grows, which every admission checks.
