//! The real `cargo xtask corpus` on a folder of minimal documents we write here: one the
//! generator accepts (which must then compile inside the client crate), one it refuses for a
//! dangling `$ref`, and one that is not even YAML. It measures each, never panics, and
//! attributes every outcome to its document.

use std::path::Path;

use crate::common::{text, workspace_root, xtask, xtask_with_env};

const ACCEPTED: &str = r##"openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes/{id}:
    get:
      operationId: getNote
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The note
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
components:
  schemas:
    Note:
      type: object
      required: [id]
      properties:
        id: {type: string}
        text: {type: string}
"##;

/// Two references to nothing: the response's is a degradation, the link's a refusal (where
/// bare progenitor panics on the response's).
const DANGLING_REF: &str = r##"{"openapi": "3.0.3", "info": {"title": "Lists", "version": "1"}, "paths": {"/lists": {"get": {
  "operationId": "listLists",
  "responses": {"200": {"$ref": "#/components/responses/Missing"},
    "201": {"description": "made", "links": {"next": {"$ref": "#/components/links/Missing"}}}}}}}}
"##;

/// Four operations for the wire check: a query key the document declares, a path UUID and a
/// query list, a JSON body, two success statuses with different bodies, and an operation
/// without credentials whose example breaks its own schema (an `id` that is not a UUID, which the
/// mock serves mended, and a `step` that is not a multiple of 5, which it cannot mend): the
/// document's defect, not the client's.
const WIRE: &str = r##"openapi: 3.0.3
info: {title: Wire, version: "1"}
servers: [{url: "https://api.example.com"}]
security: [{key: []}]
paths:
  /notes/{id}:
    get:
      operationId: getNote
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}, example: [a, b]}
      responses:
        "200":
          description: The note
          content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
  /notes:
    post:
      operationId: createNote
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
      responses:
        "201":
          description: Created
          content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
  /jobs:
    post:
      operationId: startJob
      responses:
        "200":
          description: Done at once
          content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
        "202":
          description: Started
          content:
            application/json:
              schema: {type: object, required: [state], properties: {state: {type: string, enum: [queued]}}}
  /broken:
    get:
      operationId: getBroken
      security: []
      responses:
        "200":
          description: An example that breaks its own schema
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: string, format: uuid}
                  step: {type: integer, multipleOf: 5}
              example: {id: not-a-uuid, step: 7}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
  schemas:
    Note:
      type: object
      required: [id, tags]
      properties:
        id: {type: string, format: uuid}
        tags: {type: array, items: {type: string}}
"##;

const NOT_YAML: &str = "openapi: 3.0.3\ninfo: {title: Broken, version: \"1\"}\npaths: [unclosed\n";

fn corpus_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in [("accepted.yaml", ACCEPTED), ("dangling-ref.json", DANGLING_REF), ("not-yaml.yaml", NOT_YAML)]
    {
        std::fs::write(dir.path().join(name), text).expect("write document");
    }
    // Not a document: the command measures only JSON and YAML files.
    std::fs::write(dir.path().join("notes.txt"), "not measured").expect("write file");
    dir
}

/// The table row of one document.
fn row<'a>(stdout: &'a str, document: &str) -> &'a str {
    let prefix = format!("| {document} |");
    stdout.lines().find(|line| line.starts_with(&prefix)).unwrap_or_else(|| panic!("no row for {document}:\n{stdout}"))
}

/// `cargo xtask corpus <dir> <args>` with the nested target directory, which must succeed; its
/// standard output and error.
fn corpus_run(dir: &Path, args: &[&str]) -> (String, String) {
    let target = crate::nested_target();
    let (dir, target) = (dir.to_string_lossy(), target.to_string_lossy());
    let all: Vec<&str> =
        ["corpus", dir.as_ref(), "--target-dir", target.as_ref()].into_iter().chain(args.iter().copied()).collect();
    let out = xtask(&workspace_root(), &all);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    (stdout, stderr)
}

/// The cells of a table row, trimmed.
fn cells(row: &str) -> Vec<&str> {
    row.trim_matches('|').split('|').map(str::trim).collect()
}

#[test]
fn measures_each_document_and_compiles_what_it_accepts() {
    let dir = corpus_dir();
    let (stdout, stderr) = corpus_run(dir.path(), &["--batch", "2"]);
    assert!(!stdout.contains("notes.txt"), "{stdout}");

    // document | version | operations | KiB | ours | cause | typed | raw bodies | degraded |
    // bare progenitor | compiles | ...
    let accepted = cells(row(&stdout, "accepted.yaml"));
    let expected = ["accepted.yaml", "3.0.3", "1", "1", "generated", "", "100%", "0", "0", "generated", "yes"];
    assert_eq!(&accepted[..11], expected, "{stdout}");
    let dangling = cells(row(&stdout, "dangling-ref.json"));
    // Where we refuse with a message, progenitor 0.15.1 on its own panics. The cause is the
    // kind of the generator's typed error.
    let expected = ["dangling-ref.json", "3.0.3", "1", "1", "refused", "invalid document", "–", "–", "–", "panicked"];
    assert_eq!(&dangling[..10], expected, "{stdout}");
    assert_eq!(dangling[10], "–", "a refused document is not compiled: {stdout}");
    let broken = cells(row(&stdout, "not-yaml.yaml"));
    let expected = ["not-yaml.yaml", "?", "?", "1", "refused", "invalid document", "–", "–", "–", "refused"];
    assert_eq!(&broken[..10], expected, "{stdout}");

    assert!(stdout.contains("- ours: 1 generated (33%), 2 refused"), "{stdout}");
    assert!(stdout.contains("- compiles: 1 of the 1 checked"), "{stdout}");
    assert!(stdout.contains("| invalid document | 2 | 1 |"), "{stdout}");
    assert!(stdout.contains("- schemas typed: "), "typed coverage is printed: {stdout}");
    assert!(
        stdout.contains("- dangling-ref.json (1 operations): dangling-ref.json: `$ref: #/components/links/Missing` points to nothing"),
        "the refusal is listed with its message: {stdout}"
    );
    assert!(stdout.contains("- not-yaml.yaml (? operations): not-yaml.yaml:4:1:"), "{stdout}");
    assert!(stdout.contains("- panicked: ours 0, bare progenitor 1"), "{stdout}");
    assert!(
        stdout.contains("- refusals naming the file and a location (line:column, operation or JSON pointer): 2 of 2"),
        "{stdout}"
    );
    assert!(!stderr.contains("panicked at"), "{stderr}");
}

#[test]
fn a_document_whose_schemas_sit_in_a_sibling_folder_is_measured_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (api, models) = (dir.path().join("api"), dir.path().join("models"));
    std::fs::create_dir_all(&api).expect("create api/");
    std::fs::create_dir_all(&models).expect("create models/");
    let root = ACCEPTED
        .split("components:")
        .next()
        .expect("the document has components")
        .replace("#/components/schemas/Note", "../models/Note.yaml");
    std::fs::write(api.join("root.yaml"), root).expect("write root");
    let note = "type: object\nrequired: [id]\nproperties:\n  id: {type: string}\n  text: {type: string}\n";
    std::fs::write(models.join("Note.yaml"), note).expect("write model");
    let target = tempfile::tempdir().expect("temp dir");
    let out = xtask(
        &workspace_root(),
        &[
            "corpus",
            // Only subfolders: the root is measured through `--also`.
            &dir.path().to_string_lossy(),
            "--also",
            &api.join("root.yaml").to_string_lossy(),
            "--no-compile",
            "--target-dir",
            &target.path().to_string_lossy(),
        ],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", text(&out.stderr));
    let root = cells(row(&stdout, "root.yaml"));
    assert_eq!(root[4], "generated", "the model in ../models/ is read: {stdout}");
}

#[test]
fn a_document_over_the_time_limit_is_killed_and_counted() {
    let dir = corpus_dir();
    let target = tempfile::tempdir().expect("temp dir");
    // Every measuring process hangs; each is killed at the limit.
    let out = xtask_with_env(
        &workspace_root(),
        &[
            "corpus",
            &dir.path().to_string_lossy(),
            "--timeout",
            "1",
            "--jobs",
            "3",
            "--no-compile",
            "--target-dir",
            &target.path().to_string_lossy(),
        ],
        &[("XTASK_CORPUS_SIMULATE_HANG", "1")],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "a hung document makes the run fail: {stdout}");
    for document in ["accepted.yaml", "dangling-ref.json", "not-yaml.yaml"] {
        let cells = cells(row(&stdout, document));
        assert_eq!((cells[4], cells[5]), ("timed out", "time-out"), "{stdout}");
    }
    assert!(stdout.contains("- timed out: ours 3, bare progenitor 3"), "{stdout}");
    assert!(stdout.contains("no result after 1 s"), "{stdout}");
}

#[test]
fn an_unreadable_folder_is_an_error_naming_it() {
    let missing = Path::new("/nonexistent/corpus");
    let out = xtask(&workspace_root(), &["corpus", &missing.to_string_lossy(), "--no-compile"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot read the folder /nonexistent/corpus"), "{stderr}");
}

/// `--wire`: every operation goes through the generated client to Prism serving the document;
/// the three operations of ours pass in both modes, and the example that breaks its own schema is
/// counted apart, as the document's, and not as passed.
#[test]
fn the_wire_check_sends_every_operation_to_prism_and_says_whose_each_failure_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("wire.yaml"), WIRE).expect("write document");
    let (stdout, _) = corpus_run(dir.path(), &["--wire", "--keep"]);
    let wire = stdout.split("## Wire check").nth(1).unwrap_or_else(|| panic!("no wire check section: {stdout}"));
    // document | operations | covered | examples: accepted, decoded, passed | dynamic: the same
    assert_eq!(cells(row(wire, "wire.yaml")), ["wire.yaml", "4", "4", "4", "3", "3", "4", "4", "4"], "{stdout}");
    assert!(
        wire.contains("| the document's example breaks its own schema | the document's | 1 | 0 |"),
        "the broken example is the document's: {stdout}"
    );
    assert!(wire.contains("wire.yaml: GET /broken (get_broken) (examples): response.body"), "{stdout}");
    assert!(
        wire.contains("served mended by the mock (the documents' defects; the client is checked on the mended answers): 1\n- wire.yaml: 1, such as `/paths/~1broken/get/responses/200/content/application~1json/example`"),
        "the mended example is listed: {stdout}"
    );

    // The reports the run kept print the same figures again, the documents named by module.
    let kept =
        stdout.lines().find_map(|line| line.strip_prefix("The outputs and the copy of the client crate are in "));
    let kept = std::path::PathBuf::from(kept.unwrap_or_else(|| panic!("no kept folder: {stdout}")).trim());
    let reports = kept.join("workspace/wire-reports");
    let again = xtask(&workspace_root(), &["corpus", "--wire-reports", &reports.to_string_lossy()]);
    let again_stdout = text(&again.stdout);
    assert_eq!(again.status.code(), Some(0), "{again_stdout}{}", text(&again.stderr));
    assert_eq!(cells(row(&again_stdout, "doc_wire")), ["doc_wire", "4", "4", "4", "3", "3", "4", "4", "4"]);
    std::fs::remove_dir_all(&kept).expect("remove the kept folder");
}
