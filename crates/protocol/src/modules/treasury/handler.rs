//! The treasury has no handler: it takes no messages (see `msg`); what moves its funds is in
//! `hooks` and in governance's actions.
