//! A required input left out is a compile error that names it: a path id, a request body and a
//! required body field; and a request built but never sent is flagged (the `.stderr` files beside each program hold the compiler's message;
//! bless them with `TRYBUILD=overwrite`).

#[test]
fn missing_required_inputs_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
