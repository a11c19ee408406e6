//! The dispatch: each operation answered by its handler, from the one list of
//! [`operation_list`](super::operations), and the named function of each operation
//! (`assess_suitability`, ...).

use super::answers::Reply;
use super::envelope;
use super::handlers;
use super::operations::{operation_list, Operation};

/// Defines [`Operation::answer`], [`Operation::answer_in`] and the named functions from the
/// list; the request and answer types are the schemas' (`operations.rs`), not read here.
macro_rules! define_dispatch {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, fn $fname:ident($req:ty) -> $ans:ty; )+) => {
        impl Operation {
            /// Answers a request to this operation, in English.
            pub fn answer(self, request: &str) -> Reply {
                self.answer_in(request, &crate::explain::ENGLISH)
            }

            /// Answers a request to this operation, its words through `locale` (the engine
            /// ships English; the tests render every operation through a pseudo-locale).
            pub fn answer_in(self, request: &str, locale: &dyn crate::explain::Locale) -> Reply {
                let name = self.as_str();
                if let Err(e) = crate::limits::check_request(request) {
                    return envelope::reply::<()>(name, Err(e));
                }
                match self { $( Operation::$variant => envelope::reply(name, handlers::$fname(request, locale)), )+ }
            }
        }

        $(
            $(#[doc = $doc])+
            ///
            /// The request is JSON text; the answer is the JSON envelope (see [`call`](super::call)).
            pub fn $fname(request: &str) -> String {
                Operation::$variant.answer(request).json
            }
        )+
    };
}

operation_list!(define_dispatch);
