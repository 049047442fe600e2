//! Running progenitor: its settings, catching its panics, and naming the operation it fails on.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::{Map, Value};

use crate::client_paths::RUNTIME;
use crate::openapi;

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    let runtime: TokenStream = RUNTIME.parse().unwrap_or_default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        .with_inner_type(runtime)
        .with_hooks(HooksMode::Expected);
    settings
}

thread_local! {
    /// Set while progenitor runs on this thread, so its panics are reported as errors, not printed.
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Runs progenitor, turning an error or a panic into its message.
pub(crate) fn run(spec: &openapiv3::OpenAPI) -> Result<TokenStream, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET_PANICS.with(|quiet| quiet.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| Generator::new(&settings()).generate_tokens(spec)));
    QUIET_PANICS.with(|quiet| quiet.set(false));
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(err)) => Err(err.to_string()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(format!("progenitor panicked: {message}"))
        }
    }
}

/// Finds the first operation that progenitor rejects on its own, to name it in the error.
pub(crate) fn failing_operation(doc: &Value) -> Option<String> {
    for operation in openapi::operations(doc) {
        let mut single = doc.clone();
        let mut only_item = Map::new();
        only_item.insert(operation.method.to_string(), operation.operation.clone());
        if let Some(params) = operation.item.get("parameters") {
            only_item.insert("parameters".into(), params.clone());
        }
        let mut only_path = Map::new();
        only_path.insert(operation.path.to_string(), Value::Object(only_item));
        single["paths"] = Value::Object(only_path);
        let fails = match serde_json::from_value::<openapiv3::OpenAPI>(single) {
            Ok(spec) => run(&spec).is_err(),
            Err(_) => true,
        };
        if fails {
            return Some(format!("{} ({})", operation.label(), operation.id().unwrap_or("no operationId")));
        }
    }
    None
}
