//! Staff work that may outlast a request: applying a large import today,
//! matching a release list later. A job runs in its own task, so a
//! request timeout or a closed browser tab never cuts it short (an
//! import applies whole or not at all either way). The page that started
//! it follows it by a random token: it waits a few seconds for the
//! outcome, and shows the progress and reloads itself while the job runs.
//!
//! A job belongs to the session that started it (the hash of its token),
//! like an upload. A finished job is kept for an hour after it started,
//! then forgotten; a running job is never dropped.
//!
//! Below the routes: nothing here knows a route or a page.

use libres_app::progress::{Progress, Unit};
use libres_core::UnixTime;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How long a finished job's outcome can be read, from its start.
pub(crate) const JOB_KEPT_SECS: i64 = 3600;

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome<T> {
    /// It did its work.
    Done(T),
    /// It wrote nothing, for this reason (in words for the staff member).
    Failed(String),
}

/// Where a running job is: the step and how far into it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Step {
    /// What the step does (`writing persons`).
    pub name: String,
    /// Units done so far.
    pub done: u64,
    /// Units in all, when known.
    pub total: Option<u64>,
    /// Whether the units are bytes or items.
    pub bytes: bool,
}

impl Step {
    /// The step in words: `writing persons: 1200 of 5000 (24%)`.
    pub fn describe(&self) -> String {
        if self.name.is_empty() {
            return "starting".into();
        }
        let unit = if self.bytes { " bytes" } else { "" };
        match self.total {
            Some(t) if t > 0 => format!(
                "{}: {} of {}{unit} ({}%)",
                self.name,
                self.done,
                t,
                self.done.saturating_mul(100) / t
            ),
            _ => format!("{}: {}{unit}", self.name, self.done),
        }
    }
}

/// One job: who started it, when, how far it is, how it ended.
pub(crate) struct Job<T> {
    owner: String,
    started: UnixTime,
    step: Mutex<Step>,
    outcome: Mutex<Option<Outcome<T>>>,
    finished: Notify,
}

impl<T: Clone> Job<T> {
    /// The outcome, once the job has ended.
    pub fn outcome(&self) -> Option<Outcome<T>> {
        lock(&self.outcome).clone()
    }

    /// Where the job is now.
    pub fn step(&self) -> Step {
        lock(&self.step).clone()
    }

    /// Waits at most `wait` for the job to end; returns its outcome if it
    /// has.
    pub async fn wait(&self, wait: Duration) -> Option<Outcome<T>> {
        let finished = self.finished.notified();
        tokio::pin!(finished);
        // Registered before the check, so an end between the two is not
        // missed.
        finished.as_mut().enable();
        if let Some(o) = self.outcome() {
            return Some(o);
        }
        let _ = tokio::time::timeout(wait, finished).await;
        self.outcome()
    }

    fn finish(&self, outcome: Outcome<T>) {
        *lock(&self.outcome) = Some(outcome);
        self.finished.notify_waiters();
    }
}

impl<T: Send> Progress for Job<T> {
    fn begin(&self, step: &str, total: Option<u64>, unit: Unit) {
        *lock(&self.step) = Step {
            name: step.to_owned(),
            done: 0,
            total,
            bytes: unit == Unit::Bytes,
        };
    }

    fn reach(&self, done: u64) {
        lock(&self.step).done = done;
    }

    fn end(&self) {
        let mut step = lock(&self.step);
        if let Some(t) = step.total {
            step.done = t;
        }
    }
}

fn lock<V>(m: &Mutex<V>) -> std::sync::MutexGuard<'_, V> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Why a job cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// No such token, or forgotten.
    Gone,
    /// Another session's job.
    NotYours,
}

/// The jobs of one kind, by token.
pub(crate) struct Jobs<T> {
    jobs: Mutex<HashMap<String, Arc<Job<T>>>>,
}

impl<T> Default for Jobs<T> {
    fn default() -> Self {
        Jobs {
            jobs: Mutex::default(),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> Jobs<T> {
    /// Starts `work` in its own task for the session whose token hash is
    /// `owner`; returns the job's token and the job. `work` is given the
    /// job as its progress. A job that panics ends as failed.
    pub fn start<F, Fut>(&self, owner: String, now: UnixTime, work: F) -> (String, Arc<Job<T>>)
    where
        F: FnOnce(Arc<dyn Progress>) -> Fut,
        Fut: Future<Output = Outcome<T>> + Send + 'static,
    {
        let job = Arc::new(Job {
            owner,
            started: now,
            step: Mutex::default(),
            outcome: Mutex::new(None),
            finished: Notify::new(),
        });
        let running = tokio::spawn(work(Arc::clone(&job) as Arc<dyn Progress>));
        let watched = Arc::clone(&job);
        tokio::spawn(async move {
            let outcome = running.await.unwrap_or_else(|e| {
                tracing::error!(error = %e, "a staff job stopped unexpectedly");
                Outcome::Failed(
                    "The work stopped unexpectedly and nothing was written. The server log says why."
                        .into(),
                )
            });
            watched.finish(outcome);
        });
        let token = libres_store::credentials::random_token();
        let mut jobs = lock(&self.jobs);
        jobs.retain(|_, j| j.outcome().is_none() || j.started.0 > now.0 - JOB_KEPT_SECS);
        jobs.insert(token.clone(), Arc::clone(&job));
        (token, job)
    }

    /// The job `token` of the session whose token hash is `owner`.
    pub fn get(&self, token: &str, owner: &str, now: UnixTime) -> Result<Arc<Job<T>>, Refused> {
        let jobs = lock(&self.jobs);
        match jobs.get(token) {
            None => Err(Refused::Gone),
            Some(j) if j.outcome().is_some() && j.started.0 <= now.0 - JOB_KEPT_SECS => {
                Err(Refused::Gone)
            }
            Some(j) if j.owner != owner => Err(Refused::NotYours),
            Some(j) => Ok(Arc::clone(j)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_job_runs_on_reports_its_step_and_ends_for_its_session_only() {
        let jobs: Jobs<u32> = Jobs::default();
        let (go, wait_for_go) = tokio::sync::oneshot::channel::<()>();
        let (token, job) = jobs.start("a".into(), UnixTime(0), |progress| async move {
            progress.begin("writing persons", Some(200), Unit::Items);
            progress.reach(50);
            let _ = wait_for_go.await;
            Outcome::Done(7)
        });
        tokio::task::yield_now().await;
        assert_eq!(
            job.wait(Duration::from_millis(20)).await,
            None,
            "still running"
        );
        assert_eq!(job.step().describe(), "writing persons: 50 of 200 (25%)");
        assert_eq!(
            jobs.get(&token, "b", UnixTime(1)).err(),
            Some(Refused::NotYours)
        );
        assert_eq!(
            jobs.get("nope", "a", UnixTime(1)).err(),
            Some(Refused::Gone)
        );
        // Running jobs outlive the hour.
        let mine = jobs.get(&token, "a", UnixTime(JOB_KEPT_SECS + 5)).unwrap();
        go.send(()).unwrap();
        assert_eq!(
            mine.wait(Duration::from_secs(10)).await,
            Some(Outcome::Done(7))
        );
        assert_eq!(
            jobs.get(&token, "a", UnixTime(JOB_KEPT_SECS)).err(),
            Some(Refused::Gone),
            "a finished job is forgotten an hour after it started"
        );
    }

    #[tokio::test]
    async fn a_job_that_panics_ends_as_failed() {
        let jobs: Jobs<u32> = Jobs::default();
        let (_, job) = jobs.start("a".into(), UnixTime(0), |_| async move {
            if job_should_panic() {
                panic!("boom");
            }
            Outcome::Done(1)
        });
        match job.wait(Duration::from_secs(10)).await {
            Some(Outcome::Failed(why)) => assert!(why.contains("nothing was written"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    fn job_should_panic() -> bool {
        true
    }

    #[test]
    fn a_step_is_told_in_words() {
        assert_eq!(Step::default().describe(), "starting");
        let reading = Step {
            name: "reading".into(),
            done: 10,
            total: None,
            bytes: true,
        };
        assert_eq!(reading.describe(), "reading: 10 bytes");
    }
}
