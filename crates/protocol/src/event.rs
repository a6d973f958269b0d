//! Everything the chain reports, one enum over every module's events.

use atelier_primitives::{Decode, Encode};
use serde::{Deserialize, Serialize};

use crate::modules::{self, Module};

/// Declares [`Event`] from the list of modules: a variant for each module that reports, with its
/// fixed tag.
macro_rules! event_enum {
    ($( $(#[$section:meta])* $module:ident : $Type:ident {
        $(msg: $msg:literal,)? $(event: $event:literal,)? $(params: $params:literal,)?
    } ),* $(,)?) => {
        /// An event, tagged with its module.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Encode, Decode)]
        #[serde(tag = "module", content = "event", rename_all = "snake_case")]
        pub enum Event {
            $($(
                #[doc = concat!("From ", stringify!($module), ".")]
                #[codec(tag = $event)]
                $Type(<modules::$module::$Type as Module>::Event),
            )?)*
        }
    };
}
modules::for_each_module!(event_enum);
