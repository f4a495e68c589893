//! The CI files' structure: .gitlab-ci.yml and .github/workflows/pages.yml parsed as YAML, their
//! job graphs checked, and GitLab's `rules:` evaluated for the pipelines that matter (a
//! content-only merge request, a code change, a push to main, a tag, a pinned binary). The rule
//! evaluator covers the subset of GitLab's syntax the file uses: `$VAR`, `==`, `!=`, `&&`, `||`,
//! and `changes:` globs.

use serde_yaml_ng::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet};

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn strings(value: &Value) -> Vec<String> {
    value.as_sequence().map_or_else(Vec::new, |s| s.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
}

// ---------------------------------------------------------------------------------------------
// GitLab

/// GitLab's words that are not jobs at the top of the file.
const GLOBAL_KEYWORDS: &[&str] = &["workflow", "stages", "default", "variables", "include", "image", "services", "cache", "before_script"];

struct GitLab {
    file: Value,
    /// Every job, its `extends` merged in (hashes deeply, anything else replaced, as GitLab does).
    jobs: BTreeMap<String, Value>,
}

fn merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Mapping(b), Value::Mapping(o)) => {
            let mut out = b.clone();
            for (k, v) in o {
                let merged = b.get(k).map_or_else(|| v.clone(), |old| merge(old, v));
                out.insert(k.clone(), merged);
            }
            Value::Mapping(out)
        }
        _ => over.clone(),
    }
}

fn resolve(file: &Value, job: &Value) -> Value {
    let Some(parent) = job.get("extends").and_then(Value::as_str) else { return job.clone() };
    let parent = resolve(file, file.get(parent).unwrap_or_else(|| panic!("extends unknown `{parent}`")));
    let mut merged = merge(&parent, job);
    merged.as_mapping_mut().unwrap().remove("extends");
    merged
}

fn gitlab() -> GitLab {
    let file = load(".gitlab-ci.yml");
    let jobs = file
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str().unwrap().to_string(), v))
        .filter(|(k, _)| !k.starts_with('.') && !GLOBAL_KEYWORDS.contains(&k.as_str()))
        .map(|(k, v)| (k, resolve(&file, v)))
        .collect();
    GitLab { file, jobs }
}

impl GitLab {
    fn job(&self, name: &str) -> &Value {
        self.jobs.get(name).unwrap_or_else(|| panic!("no job `{name}`"))
    }

    /// Every line of a job's before_script and script.
    fn commands(&self, name: &str) -> Vec<String> {
        let job = self.job(name);
        ["before_script", "script"].iter().flat_map(|k| job.get(*k).map(strings).unwrap_or_default()).collect()
    }

    /// (job, optional, artifacts) of each `needs` entry.
    fn needs(&self, name: &str) -> Vec<(String, bool, bool)> {
        let Some(needs) = self.job(name).get("needs").and_then(Value::as_sequence) else { return Vec::new() };
        needs
            .iter()
            .map(|n| match n {
                Value::String(job) => (job.clone(), false, true),
                _ => (
                    n["job"].as_str().unwrap().to_string(),
                    n.get("optional").and_then(Value::as_bool).unwrap_or(false),
                    n.get("artifacts").and_then(Value::as_bool).unwrap_or(true),
                ),
            })
            .collect()
    }
}

/// One pipeline: how it was started and what it changed.
#[derive(Clone, Default)]
struct Pipeline {
    merge_request: bool,
    branch: Option<&'static str>,
    tag: Option<&'static str>,
    changed: &'static [&'static str],
    variables: &'static [(&'static str, &'static str)],
}

const CONTENT: &[&str] = &["content/runbooks/triage.md"];
const CODE: &[&str] = &["content/_index.md", "src/links/resolve.rs"];

impl Pipeline {
    fn merge_request(changed: &'static [&'static str]) -> Pipeline {
        Pipeline { merge_request: true, changed, ..Default::default() }
    }

    fn push(branch: &'static str, changed: &'static [&'static str]) -> Pipeline {
        Pipeline { branch: Some(branch), changed, ..Default::default() }
    }

    fn variables(&self, file: &Value) -> BTreeMap<String, String> {
        let mut vars: BTreeMap<String, String> = file["variables"]
            .as_mapping()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.as_str().unwrap().to_string(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        vars.insert("CI_DEFAULT_BRANCH".into(), "main".into());
        vars.insert("CI_PIPELINE_SOURCE".into(), if self.merge_request { "merge_request_event" } else { "push" }.into());
        if let Some(branch) = self.branch {
            vars.insert("CI_COMMIT_BRANCH".into(), branch.into());
        }
        if let Some(tag) = self.tag {
            vars.insert("CI_COMMIT_TAG".into(), tag.into());
            vars.insert("CI_PIPELINE_SOURCE".into(), "push".into());
        }
        vars.extend(self.variables.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        vars
    }
}

/// GitLab's `if:` for the forms the file uses.
fn condition(expr: &str, vars: &BTreeMap<String, String>) -> bool {
    let operand = |s: &str| -> Option<String> {
        let s = s.trim();
        match s.strip_prefix('$') {
            Some(name) => vars.get(name).cloned(),
            None => Some(s.trim_matches('"').to_string()),
        }
    };
    expr.split("||").any(|any| {
        any.split("&&").all(|term| {
            if let Some((l, r)) = term.split_once("==") {
                operand(l) == operand(r)
            } else if let Some((l, r)) = term.split_once("!=") {
                operand(l) != operand(r)
            } else {
                operand(term).is_some_and(|v| !v.is_empty())
            }
        })
    })
}

/// Ruby's `File.fnmatch` with FNM_PATHNAME, as GitLab matches `changes:`: `*` stays within a
/// folder, `**/` is any number of folders.
fn glob(pattern: &str, path: &str) -> bool {
    if let Some(rest) = pattern.strip_prefix("**/") {
        return glob(rest, path) || path.split_once('/').is_some_and(|(_, tail)| glob(pattern, tail));
    }
    match pattern.as_bytes().first() {
        None => path.is_empty(),
        Some(b'*') => (0..=path.len()).take_while(|&i| !path[..i].contains('/')).any(|i| glob(&pattern[1..], &path[i..])),
        Some(&c) => path.as_bytes().first() == Some(&c) && glob(&pattern[1..], &path[1..]),
    }
}

fn change_patterns(changes: &Value) -> Vec<String> {
    match changes {
        Value::Sequence(_) => strings(changes),
        _ => strings(&changes["paths"]),
    }
}

/// The first matching rule: `None` when the job is not in the pipeline, else the rule's
/// variables over `vars`.
fn apply_rules(rules: Option<&Value>, pipeline: &Pipeline, vars: &BTreeMap<String, String>) -> Option<BTreeMap<String, String>> {
    let Some(rules) = rules else { return Some(vars.clone()) };
    for rule in rules.as_sequence().unwrap() {
        if rule.get("if").is_some_and(|expr| !condition(expr.as_str().unwrap(), vars)) {
            continue;
        }
        if let Some(changes) = rule.get("changes") {
            let patterns = change_patterns(changes);
            if !pipeline.changed.iter().any(|file| patterns.iter().any(|p| glob(p, file))) {
                continue;
            }
        }
        if rule.get("when").and_then(Value::as_str) == Some("never") {
            return None;
        }
        let mut vars = vars.clone();
        if let Some(extra) = rule.get("variables").and_then(Value::as_mapping) {
            vars.extend(extra.iter().map(|(k, v)| (k.as_str().unwrap().to_string(), v.as_str().unwrap().to_string())));
        }
        return Some(vars);
    }
    None
}

/// The jobs of a pipeline with their variables; empty when `workflow:` starts no pipeline.
fn run(ci: &GitLab, pipeline: &Pipeline) -> BTreeMap<String, BTreeMap<String, String>> {
    let vars = pipeline.variables(&ci.file);
    if apply_rules(ci.file["workflow"].get("rules"), pipeline, &vars).is_none() {
        return BTreeMap::new();
    }
    let jobs: BTreeMap<_, _> = ci
        .jobs
        .iter()
        .filter_map(|(name, job)| {
            // The job's own variables, then its matching rule's.
            let mut vars = vars.clone();
            vars.extend(
                job.get("variables")
                    .and_then(Value::as_mapping)
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.as_str().unwrap().to_string(), v.as_str().unwrap().to_string())),
            );
            Some((name.clone(), apply_rules(job.get("rules"), pipeline, &vars)?))
        })
        .collect();
    // GitLab rejects a pipeline whose job needs a job that is not in it (unless optional).
    for name in jobs.keys() {
        for (need, optional, _) in ci.needs(name) {
            assert!(optional || jobs.contains_key(&need), "`{name}` needs `{need}`, which this pipeline does not have");
        }
    }
    jobs
}

fn names(jobs: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<&str> {
    jobs.keys().map(String::as_str).collect()
}

#[test]
fn gitlab_jobs_stages_and_needs_fit_together() {
    let ci = gitlab();
    assert_eq!(ci.jobs.keys().collect::<Vec<_>>(), ["build-binary", "build-site", "check", "pages", "publish-binary", "test"]);
    let stages = strings(&ci.file["stages"]);
    let stage = |job: &str| stages.iter().position(|s| ci.job(job)["stage"].as_str() == Some(s)).expect("a known stage");
    for name in ci.jobs.keys() {
        for (need, ..) in ci.needs(name) {
            assert!(ci.jobs.contains_key(&need), "{name} needs unknown {need}");
            assert!(stage(&need) <= stage(name), "{name} needs {need} of a later stage");
        }
    }
}

#[test]
fn gitlab_compiles_the_generator_in_one_job_and_hands_the_binary_on() {
    let ci = gitlab();
    let compiling: Vec<&String> = ci.jobs.keys().filter(|j| ci.commands(j).iter().any(|c| c.contains("cargo build"))).collect();
    assert_eq!(compiling, ["build-binary"]);
    assert!(ci.commands("build-binary").contains(&"cargo build --release --locked".to_string()));
    assert_eq!(strings(&ci.job("build-binary")["artifacts"]["paths"]), ["bin/handbook"]);
    for job in ["check", "pages", "build-site"] {
        assert!(ci.needs(job).contains(&("build-binary".into(), true, true)), "{job} takes the binary from build-binary");
        assert!(ci.commands(job).iter().any(|c| c.starts_with("bin/handbook ")), "{job} runs bin/handbook");
        assert!(ci.job(job).get("cache").is_none(), "{job} needs no cargo cache");
    }
    // One cache for the release build, used by build-binary alone; the test profile's is apart.
    let cached: Vec<&String> = ci.jobs.keys().filter(|j| ci.job(j).get("cache").is_some()).collect();
    assert_eq!(cached, ["build-binary", "test"]);
    let paths = |job: &str| strings(&ci.job(job)["cache"]["paths"]);
    assert!(paths("build-binary").contains(&"target/release/".to_string()) && !paths("test").iter().any(|p| p.contains("release")));
    assert_eq!(ci.needs("test"), [], "test starts beside build-binary");
    // The test job installs the browser its browser test needs.
    assert!(ci.commands("test").iter().any(|c| c.contains("apt-get install") && c.contains("chromium")));
    assert!(ci.commands("test").iter().any(|c| c.starts_with("npm ci")), "axe-core for the accessibility test");
    assert!(ci.commands("test").contains(&"cargo test --locked".to_string()));
}

#[test]
fn gitlab_runs_cargo_test_only_when_the_generator_changes() {
    let ci = gitlab();
    for rule in ci.job("test")["rules"].as_sequence().unwrap() {
        if rule.get("if").and_then(Value::as_str) == Some("$CI_COMMIT_TAG") {
            continue;
        }
        let patterns = change_patterns(rule.get("changes").expect("every other rule of test has changes:"));
        for path in ["src/lib.rs", "src/links/resolve.rs", "tests/fixtures/links/content/valid.md", "Cargo.toml", "Cargo.lock"] {
            assert!(patterns.iter().any(|p| glob(p, path)), "a change to {path} runs the tests");
        }
        for path in ["themes/handbook/templates/base.html", ".gitlab-ci.yml", "scripts/bench.sh"] {
            assert!(patterns.iter().any(|p| glob(p, path)), "a change to {path} runs the tests");
        }
        for path in ["content/_index.md", "data/stages.yml", "README.md", "docs/publishing.md", "handbook.toml"] {
            assert!(!patterns.iter().any(|p| glob(p, path)), "a change to {path} alone is content");
        }
    }
}

#[test]
fn gitlab_pipelines_run_the_right_jobs() {
    let ci = gitlab();
    let policy = |jobs: &BTreeMap<String, BTreeMap<String, String>>, job: &str| jobs[job]["CARGO_CACHE_POLICY"].clone();

    // A content-only merge request: one compile from the cache, check, build; no tests, no deploy.
    let jobs = run(&ci, &Pipeline::merge_request(CONTENT));
    assert_eq!(names(&jobs), ["build-binary", "build-site", "check"]);
    assert_eq!(policy(&jobs, "build-binary"), "pull", "a content-only pipeline leaves the cache alone");

    let jobs = run(&ci, &Pipeline::merge_request(CODE));
    assert_eq!(names(&jobs), ["build-binary", "build-site", "check", "test"]);
    assert_eq!(policy(&jobs, "build-binary"), "pull-push", "a generator change refreshes the cache");
    let theme = Pipeline::merge_request(&["themes/handbook/templates/partials/sidebar.html"]);
    assert!(run(&ci, &theme).contains_key("test"), "nested theme files are generator code");

    // Branch pipelines: none while a merge request is open; a branch without one builds, never deploys.
    let open_mr = Pipeline { variables: &[("CI_OPEN_MERGE_REQUESTS", "group/project!1")], ..Pipeline::push("fix-typo", CONTENT) };
    assert!(run(&ci, &open_mr).is_empty());
    assert_eq!(names(&run(&ci, &Pipeline::push("fix-typo", CONTENT))), ["build-binary", "build-site", "check"]);

    // The default branch deploys; with code changes, only after the tests.
    let jobs = run(&ci, &Pipeline::push("main", CONTENT));
    assert_eq!(names(&jobs), ["build-binary", "check", "pages"]);
    assert_eq!(jobs["pages"]["PAGES_PREFIX"], "", "the main deployment");
    assert_eq!(names(&run(&ci, &Pipeline::push("main", CODE))), ["build-binary", "check", "pages", "test"]);
    assert!(ci.needs("pages").contains(&("test".into(), true, false)));

    // A tag: tested, published to the package registry, not deployed.
    let tag = Pipeline { tag: Some("v0.2.0"), changed: CONTENT, ..Default::default() };
    assert_eq!(names(&run(&ci, &tag)), ["build-binary", "check", "publish-binary", "test"]);

    // A pinned published binary: a content-only pipeline compiles nothing.
    let pinned = Pipeline { variables: &[("HANDBOOK_VERSION", "v0.2.0")], ..Pipeline::push("main", CONTENT) };
    assert_eq!(names(&run(&ci, &pinned)), ["check", "pages"]);
    let pinned_mr = Pipeline { variables: &[("HANDBOOK_VERSION", "v0.2.0")], ..Pipeline::merge_request(CONTENT) };
    assert_eq!(names(&run(&ci, &pinned_mr)), ["build-site", "check"]);

    // Review deployments only when opted in, and never at the main deployment's path.
    let review = Pipeline { variables: &[("HANDBOOK_REVIEW_APPS", "true")], ..Pipeline::merge_request(CONTENT) };
    let jobs = run(&ci, &review);
    assert_eq!(names(&jobs), ["build-binary", "check", "pages"]);
    assert_eq!(jobs["pages"]["PAGES_PREFIX"], "mr-$CI_MERGE_REQUEST_IID");
}

#[test]
fn gitlab_pages_deploys_only_from_the_default_branch_or_an_opted_in_review() {
    let ci = gitlab();
    assert_eq!(ci.job("pages")["pages"]["path_prefix"], "$PAGES_PREFIX");
    for rule in ci.job("pages")["rules"].as_sequence().unwrap() {
        let condition = rule["if"].as_str().expect("every pages rule has an if:");
        let prefix = rule.get("variables").and_then(|v| v.get("PAGES_PREFIX")).and_then(Value::as_str).unwrap_or("");
        match condition {
            "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" | "$CI_COMMIT_TAG" => assert_eq!(prefix, ""),
            other => {
                assert!(other.contains("merge_request_event") && other.contains("$HANDBOOK_REVIEW_APPS == \"true\""), "{other}");
                assert!(prefix.starts_with("mr-"), "a review deployment has its own path prefix");
            }
        }
    }
    assert_eq!(ci.file["variables"]["HANDBOOK_REVIEW_APPS"], "false", "review deployments are opt-in");
}

#[test]
fn gitlab_publishes_the_binary_on_tags_and_can_deploy_a_pinned_one() {
    let ci = gitlab();
    let publish = ci.job("publish-binary");
    assert_eq!(publish["rules"][0]["if"], "$CI_COMMIT_TAG");
    assert_eq!(publish["rules"].as_sequence().unwrap().len(), 1);
    assert!(ci.needs("publish-binary").contains(&("build-binary".into(), false, true)));
    let upload = r#"curl --fail --silent --show-error --header "JOB-TOKEN: $CI_JOB_TOKEN" --upload-file bin/handbook "${CI_API_V4_URL}/projects/${CI_PROJECT_ID}/packages/generic/handbook/${CI_COMMIT_TAG}/handbook""#;
    assert!(ci.commands("publish-binary").contains(&upload.to_string()), "{:?}", ci.commands("publish-binary"));
    for job in ["check", "pages", "build-site"] {
        let download = ci.commands(job).join("\n");
        assert!(download.contains("if [ -n \"$HANDBOOK_VERSION\" ]"), "{job}");
        assert!(download.contains("/packages/generic/handbook/${HANDBOOK_VERSION}/handbook"), "{job}");
    }
}

// ---------------------------------------------------------------------------------------------
// GitHub

fn steps(job: &Value) -> Vec<&Mapping> {
    job["steps"].as_sequence().unwrap().iter().map(|s| s.as_mapping().unwrap()).collect()
}

fn step_text(step: &Mapping) -> String {
    ["uses", "run", "if"].iter().filter_map(|k| step.get(*k).and_then(Value::as_str)).collect::<Vec<_>>().join("\n")
}

#[test]
fn github_checks_and_builds_pull_requests_and_deploys_only_the_default_branch() {
    let wf = load(".github/workflows/pages.yml");
    let on = &wf["on"];
    assert!(on.get("pull_request").is_some(), "pull requests run the workflow");
    assert_eq!(strings(&on["push"]["branches"]), ["main"]);
    assert!(!strings(&on["push"]["tags"]).is_empty(), "tags run the workflow (releases)");
    let jobs = wf["jobs"].as_mapping().unwrap();
    let job_names: BTreeSet<&str> = jobs.keys().filter_map(Value::as_str).collect();
    assert_eq!(job_names, BTreeSet::from(["build", "deploy", "release"]));

    // build: no condition, so it runs for pull requests; it checks, tests and builds.
    let build = &wf["jobs"]["build"];
    assert!(build.get("if").is_none());
    let text: Vec<String> = steps(build).iter().map(|s| step_text(s)).collect();
    for needle in ["cargo test --locked", "cargo build --release --locked", "handbook check", "handbook build --verify"] {
        assert!(text.iter().any(|t| t.contains(needle)), "build runs `{needle}`");
    }
    let cache = steps(build).into_iter().find(|s| step_text(s).starts_with("actions/cache@")).expect("a cargo cache");
    let with = &cache["with"];
    assert!(with["key"].as_str().unwrap().contains("hashFiles('Cargo.lock')"));
    assert!(with.get("restore-keys").and_then(Value::as_str).is_some_and(|k| !k.trim().is_empty()), "restore-keys on the cache");
    // The Pages artifact is made only where it will be deployed.
    for step in steps(build) {
        let uses = step.get("uses").and_then(Value::as_str).unwrap_or_default();
        if uses.starts_with("actions/upload-pages-artifact@") || uses.starts_with("actions/configure-pages@") {
            assert!(step["if"].as_str().unwrap().contains("github.event.repository.default_branch"), "{:?}", step_text(step));
        }
    }

    // deploy: only the default branch, never a pull request.
    let deploy = &wf["jobs"]["deploy"];
    let condition = deploy["if"].as_str().unwrap();
    assert!(condition.contains("github.event.repository.default_branch") && condition.contains("github.ref"), "{condition}");
    assert!(condition.contains("github.event_name != 'pull_request'"), "{condition}");
    assert_eq!(deploy["needs"], "build");
    assert!(steps(deploy).iter().any(|s| step_text(s).starts_with("actions/deploy-pages@")));
    for (name, job) in jobs {
        if name != "deploy" {
            assert!(!steps(job).iter().any(|s| step_text(s).contains("deploy-pages")), "only deploy deploys");
        }
    }
    assert_eq!(wf["permissions"]["contents"], "read");
    assert!(wf["permissions"].get("pages").is_none(), "write permissions only in the jobs that need them");
    assert_eq!(deploy["permissions"]["pages"], "write");

    // release: on tags, the binary attached to a GitHub release.
    let release = &wf["jobs"]["release"];
    assert_eq!(release["if"], "startsWith(github.ref, 'refs/tags/')");
    assert_eq!(release["needs"], "build");
    assert_eq!(release["permissions"]["contents"], "write");
    assert!(steps(release).iter().any(|s| step_text(s).contains("gh release create") && step_text(s).contains("handbook")));
}

#[test]
fn the_glob_and_condition_helpers_follow_gitlab() {
    assert!(glob("src/**/*", "src/lib.rs") && glob("src/**/*", "src/a/b/c.rs"));
    assert!(!glob("src/**/*", "srcx/lib.rs") && !glob("src/*", "src/a/b.rs") && !glob("Cargo.*", "sub/Cargo.toml"));
    assert!(glob("Cargo.*", "Cargo.lock") && glob(".gitlab-ci.yml", ".gitlab-ci.yml"));
    let vars: BTreeMap<String, String> = [("A", "x"), ("E", "")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert!(condition("$A", &vars) && !condition("$E", &vars) && !condition("$MISSING", &vars));
    assert!(condition("$A == \"x\" && $MISSING != \"y\"", &vars) && !condition("$A == \"y\" || $E", &vars));
}
