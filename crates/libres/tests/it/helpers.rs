//! A temporary workspace per test, and typed helpers to run `libres` in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

/// The header of the person CSV, as exported.
pub const HEADER: &str =
    "id,given_names,surname1,surname2,birth_date,sex,nationality,country,province,status,private_notes,family_contact,publish";

/// A directory with databases and files, removed when dropped.
pub struct Env {
    dir: TempDir,
}

/// What one run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns self.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts failure (non-zero exit, `error:` on stderr) and returns self.
    #[track_caller]
    pub fn fails(self) -> Self {
        assert_ne!(
            self.code,
            Some(0),
            "expected failure\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stderr.contains("error: "),
            "no `error:` line in: {}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `sqlite:` URL of a database file in the workspace.
    pub fn db(&self, name: &str) -> String {
        format!("sqlite:{}", self.path(name).display())
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_libres"));
        c.current_dir(self.dir.path())
            .env_remove("LIBRES_DB")
            .env_remove("LIBRES_IMPORT_MAX_SIZE");
        c
    }

    /// Runs `libres ARGS`.
    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = self.command().args(args).output().unwrap();
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `libres ARGS` expected to end by itself; a run still going
    /// after `limit` (a server that should have refused to start) is
    /// killed and the test fails, instead of hanging the suite.
    #[track_caller]
    pub fn run_ending_within(&self, limit: std::time::Duration, args: &[&str]) -> Run {
        use std::process::Stdio;
        let mut child = self
            .command()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + limit;
        while child.try_wait().unwrap().is_none() {
            if std::time::Instant::now() > deadline {
                child.kill().unwrap();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "libres {args:?} was still running after {limit:?}\nstderr: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `libres import persons FILE --db DB`.
    pub fn import(&self, db: &str, file: &Path) -> Run {
        self.run(&[
            "import",
            "persons",
            file.to_str().unwrap(),
            "--db",
            &self.db(db),
        ])
    }

    /// The full CSV export of `db` (confidential columns included).
    pub fn export_csv(&self, db: &str) -> String {
        self.run(&["export", "persons", "--format", "csv", "--db", &self.db(db)])
            .ok()
            .stdout
    }

    /// Fills `db` with `n` fictional persons through an import, so that,
    /// unlike [`Env::seed`], the registry is not the synthetic demo one and
    /// accepts imports. Every column has a value.
    pub fn registry(&self, db: &str, n: u32) {
        let mut text = format!("{HEADER}\n");
        for i in 1..=n {
            text.push_str(&format!(
                "CU-{i:03},Ana María,Pérez,García,1980,F,CU|ES,CU,Holguín,,\
                 nota ficticia {i},tel. 5 000 {i:04} (ficticio),{}\n",
                if i % 3 == 0 { "no" } else { "yes" }
            ));
        }
        let file = self.write(&format!("{db}.registry.csv"), text);
        self.import(db, &file).ok();
    }

    /// Seeds `db` with `n` synthetic persons.
    pub fn seed(&self, db: &str, n: u32) {
        self.run(&[
            "seed-demo",
            "--persons",
            &n.to_string(),
            "--db",
            &self.db(db),
        ])
        .ok();
    }
}

/// A valid person row for the short header `id,given_names,surname1,country,publish`.
pub const SHORT_HEADER: &str = "id,given_names,surname1,country,publish";
