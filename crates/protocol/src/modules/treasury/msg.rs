//! The treasury takes no messages: it acts at epoch ends (`hooks`) and spends or starts grants
//! only through governance's actions.
