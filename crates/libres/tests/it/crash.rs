//! The crash test of issue 12: `kill -9` on `libres serve` twenty times
//! while people sign a statement, restarting it each time. Every signature
//! the server acknowledged (a 303 answer) must be in the database at the
//! end, and the database must pass SQLite's integrity check.

use crate::helpers::Env;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One HTTP/1.1 exchange on a kept-alive connection: the status and body.
fn exchange(
    conn: &mut BufReader<TcpStream>,
    method: &str,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.get_mut().write_all(head.as_bytes())?;
    conn.get_mut().write_all(body.as_bytes())?;
    let mut status = String::new();
    if conn.read_line(&mut status)? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let code: u16 = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or(std::io::ErrorKind::InvalidData)?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if conn.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    Ok((code, String::from_utf8_lossy(&body).into_owned()))
}

fn connect(addr: SocketAddr) -> std::io::Result<BufReader<TcpStream>> {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    Ok(BufReader::new(s))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `libres serve` on `db` and waits until its statement page
/// answers; returns it with the signing form's token. (The caller kills
/// and waits for the child it is given, which the lint cannot follow.)
#[allow(clippy::zombie_processes)]
fn start(env: &Env, db: &str) -> (Child, SocketAddr, String) {
    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut child = env
        .command()
        .args(["serve", "--db", db, "--bind", &addr.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Ok(mut c) = connect(addr) {
            if let Ok((200, page)) = exchange(&mut c, "GET", "/es/statements/1", "") {
                let at = page.find("name=\"csrf\" value=\"").expect("a signing form") + 19;
                let token = page[at..].split('"').next().unwrap().to_owned();
                return (child, addr, token);
            }
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server did not answer within 30 s of its start");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_kills_during_a_signing_surge_lose_no_acknowledged_signature() {
    let env = Env::new();
    let db = env.db("crash.db");
    env.seed("crash.db", 200);
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut refused = 0usize;
    let mut cut = 0usize;
    for round in 0..20u64 {
        let (mut child, addr, token) = start(&env, &db);
        let stop = Arc::new(AtomicBool::new(false));
        let signers: Vec<_> = (0..12)
            .map(|c| {
                let (stop, acked, token) = (Arc::clone(&stop), Arc::clone(&acked), token.clone());
                std::thread::spawn(move || {
                    let (mut refused, mut cut) = (0usize, 0usize);
                    let mut n = 0;
                    let Ok(mut conn) = connect(addr) else {
                        return (refused, cut);
                    };
                    while !stop.load(Ordering::SeqCst) {
                        n += 1;
                        let email = format!("r{round}c{c}n{n}@gmail.com");
                        let body = format!(
                            "csrf={token}&name=Firmante+{round}+{c}+{n}&email={}&category=relative&country=CU&visibility=full_name",
                            email.replace('@', "%40")
                        );
                        match exchange(&mut conn, "POST", "/es/statements/1/sign", &body) {
                            Ok((303, _)) => acked.lock().unwrap().push(email),
                            Ok(_) => refused += 1,
                            // Killed mid-request: not acknowledged.
                            Err(_) => {
                                cut += 1;
                                break;
                            }
                        }
                    }
                    (refused, cut)
                })
            })
            .collect();
        // Killed at a different moment of the surge each round.
        std::thread::sleep(Duration::from_millis(150 + (round * 97) % 450));
        child.kill().unwrap(); // SIGKILL: no shutdown, no flush.
        child.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        for s in signers {
            let (r, c) = s.join().unwrap();
            refused += r;
            cut += c;
        }
    }
    assert_eq!(refused, 0, "no signature was refused");
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 200,
        "a surge signs hundreds of times between kills, not {}",
        acked.len()
    );

    // Read the database as it was left, without Libres.
    let path = env.path("crash.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let check: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(check, [("ok".to_owned(),)], "SQLite's integrity check");
    let stored: Vec<(String,)> =
        sqlx::query_as("SELECT email FROM signatures WHERE statement_pk = 1")
            .fetch_all(&pool)
            .await
            .unwrap();
    let stored: std::collections::HashSet<String> = stored.into_iter().map(|(e,)| e).collect();
    let missing: Vec<&String> = acked.iter().filter(|e| !stored.contains(*e)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged signatures are missing, e.g. {:?}",
        missing.len(),
        acked.len(),
        missing.first()
    );
    // Each acknowledged signature is stored once, with its mail due.
    let (mails,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mail_outbox m JOIN signatures s ON s.pk = m.signature_pk \
         WHERE s.email LIKE 'r%@gmail.com'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        mails as usize >= acked.len(),
        "every stored signature has its confirmation mail waiting ({mails} for {})",
        acked.len()
    );
    eprintln!(
        "crash test: 20 kills, {} signatures acknowledged and all stored ({} stored in all, {cut} requests cut by a kill)",
        acked.len(),
        stored.len()
    );
}
