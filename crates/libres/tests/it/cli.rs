//! The command line itself: database URLs, errors, the demo commands.

use crate::helpers::Env;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn an_unreachable_postgres_server_gets_a_clear_error_without_the_password() {
    let env = Env::new();
    let run = env
        .run(&[
            "export",
            "persons",
            "--db",
            "postgres://libres:s3cr3t@127.0.0.1:1/libres",
        ])
        .fails();
    assert!(
        run.stderr.contains("cannot reach PostgreSQL"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("s3cr3t"), "{}", run.stderr);
}

#[test]
fn a_database_path_without_a_scheme_is_explained() {
    let env = Env::new();
    let run = env
        .run(&["seed-demo", "--persons", "1", "--db", "libres.db"])
        .fails();
    assert!(run.stderr.contains("use sqlite:PATH"), "{}", run.stderr);
}

#[test]
fn the_database_can_come_from_the_environment() {
    let env = Env::new();
    let out = env
        .command()
        .args(["seed-demo", "--persons", "5"])
        .env("LIBRES_DB", env.db("env.db"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.export_csv("env.db").lines().count(), 6);
}

#[test]
fn errors_are_printed_with_their_causes_and_a_non_zero_exit() {
    let env = Env::new();
    let run = env
        .run(&["import", "persons", "missing.csv", "--db", &env.db("r.db")])
        .fails();
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .starts_with("error: could not import missing.csv"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("  caused by: "), "{}", run.stderr);
}

#[test]
fn seed_demo_refuses_a_database_that_already_has_persons() {
    let env = Env::new();
    env.seed("d.db", 10);
    let before = env.export_csv("d.db");
    let run = env
        .run(&["seed-demo", "--persons", "10", "--db", &env.db("d.db")])
        .fails();
    assert!(
        run.stderr.contains("already holds persons"),
        "{}",
        run.stderr
    );
    assert_eq!(env.export_csv("d.db"), before);
}

#[test]
fn seeding_the_demo_twice_gives_the_same_registry() {
    let env = Env::new();
    env.seed("a.db", 1500);
    env.seed("b.db", 1500);
    let a = env.export_csv("a.db");
    assert_eq!(a, env.export_csv("b.db"));
    assert_eq!(a.lines().count(), 1501);
    for status in [
        "detained",
        "conditional_release",
        "exiled",
        "house_arrest",
        "released",
    ] {
        assert!(
            a.contains(&format!(",{status},")),
            "no {status} in the demo"
        );
    }
}

#[test]
fn demo_seeds_an_empty_database_prints_its_url_and_serves() {
    let env = Env::new();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = env
        .command()
        .args([
            "demo",
            "--persons",
            "50",
            "--bind",
            &bind,
            "--db",
            &env.db("demo.db"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains(&format!("http://{bind}/")), "{line}");
    // The URL is printed just before the server starts listening: poll the
    // port (bounded) rather than sleep a guessed time.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut connected = false;
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&bind.parse().unwrap(), Duration::from_millis(200)).is_ok() {
            connected = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        connected,
        "the demo server never accepted a connection on {bind}"
    );
    assert_eq!(env.export_csv("demo.db").lines().count(), 51);
}

#[test]
fn demo_refuses_to_serve_a_real_registry_as_synthetic() {
    let env = Env::new();
    env.registry("real.db", 5);
    let before = env.export_csv("real.db");
    let run = env
        .run_ending_within(
            Duration::from_secs(60),
            &[
                "demo",
                "--persons",
                "5",
                "--bind",
                "127.0.0.1:0",
                "--db",
                &env.db("real.db"),
            ],
        )
        .fails();
    assert!(
        run.stderr.contains(
            "holds a real registry; `demo` serves only synthetic data; use `libres serve"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(env.export_csv("real.db"), before);
}

#[test]
fn demo_serves_a_registry_seeded_by_seed_demo() {
    let env = Env::new();
    env.seed("demo.db", 5);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = env
        .command()
        .args(["demo", "--bind", &bind, "--db", &env.db("demo.db")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(line.contains(&format!("http://{bind}/")), "{line}{stderr}");
    assert!(
        stderr.contains("already holds the synthetic demo registry"),
        "{stderr}"
    );
    assert_eq!(env.export_csv("demo.db").lines().count(), 6);
}

/// Database URLs as people mistype them, each holding the password
/// `s3cr3t` (port 1: nothing listens there).
const SECRET_URLS: [&str; 10] = [
    "postgress://libres:s3cr3t@127.0.0.1:1/libres",
    "POSTGRES://libres:s3cr3t@127.0.0.1:1/libres",
    "postgres:/libres:s3cr3t@127.0.0.1:1/libres",
    "mysql://libres:s3cr3t@127.0.0.1:1/libres",
    "postgres://libres@127.0.0.1:1/libres?password=s3cr3t",
    "mysql://127.0.0.1:1/libres?password=s3cr3t",
    "sqlite:registry.db?password=s3cr3t&mode=ro",
    "ftp://libres:s3cr3t@127.0.0.1:1",
    "libres:s3cr3t@127.0.0.1:1/libres",
    "host=127.0.0.1 port=1 password=s3cr3t",
];

#[test]
fn no_error_shows_the_password_of_a_database_url_whatever_its_form() {
    let env = Env::new();
    env.seed("source.db", 3);
    let source = env.db("source.db");
    let target = env.db("target.db");
    for url in SECRET_URLS {
        for args in [
            vec!["export", "persons", "--db", url],
            vec!["serve", "--bind", "127.0.0.1:0", "--db", url],
            vec!["copy", "--from", url, "--to", &target],
            vec!["copy", "--from", &source, "--to", url],
        ] {
            let run = env.run_ending_within(Duration::from_secs(60), &args);
            assert_ne!(run.code, Some(0), "{args:?}");
            assert!(run.stderr.contains("error: "), "{args:?}: {}", run.stderr);
            let said = format!("{}{}", run.stdout, run.stderr);
            assert!(!said.contains("s3cr3t"), "{args:?}: {said}");
        }
    }
}
