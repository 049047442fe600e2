fn main() {
    let path = std::env::args().nth(1).expect("path");
    let text = std::fs::read_to_string(&path).expect("read");
    let files = [codegen::SpecFile { path: path.clone(), text }];
    let vendor = codegen::Vendor { name: "hostile", documents: &files, fixes: None };
    match codegen::generate(vendor, "dump") {
        Ok(g) => print!("{}", g.source),
        Err(e) => eprintln!("{e}"),
    }
}
