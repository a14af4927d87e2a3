//! A whole registry out and in: [`Snapshot::dump`] streams everything a
//! backend holds, [`Snapshot::restore`] writes such a stream in one
//! transaction, and [`copy`] joins the two, then reads both registries
//! back and [`compare`]s them. `libres copy` moves a registry of any size
//! between backends in the memory of a few chunks.
//!
//! A dump is a stream of [`DumpPart`]s in a fixed order: the header, the
//! sources, the release announcements, the persons (each with detentions
//! and timeline), the history, then [`DumpPart::End`]. A restore commits only when it has seen the
//! end, so a reader that fails half-way leaves the target as it was.

use crate::{RegistryMeta, StoreError, StoreResult};
use async_trait::async_trait;
use libres_core::{Announcement, Detention, Event, ListedName, Person, Source, Status};
use serde::Serialize;

use crate::records::HistoryEntry;

/// One piece of a dump stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DumpPart {
    /// First: registry-wide flags.
    Header {
        /// Whether the registry holds synthetic demo data.
        synthetic: bool,
    },
    /// Sources, ascending by key; every source comes before the first
    /// announcement and the first person.
    Sources(Vec<Source>),
    /// Release announcements, ascending by key, with their texts; their
    /// source ids refer to the dump's sources.
    Announcements(Vec<Announcement>),
    /// The names of the announcements' named lists, with their proposals
    /// and decisions, after every announcement.
    Names(Vec<DumpedName>),
    /// Persons with their detentions and timelines, ascending by id.
    Persons(Vec<DumpedPerson>),
    /// History entries, in the order they were written.
    History(Vec<DumpedHistory>),
    /// Statements, ascending by key, whole; their announcement ids refer
    /// to the dump's announcements.
    Statements(Vec<DumpedStatement>),
    /// Signatures, ascending by key, after every statement; their
    /// statement keys refer to the dump's statements.
    Signatures(Vec<DumpedSignature>),
    /// Last: the dump is complete.
    End,
}

/// Where a dump goes.
#[async_trait]
pub trait DumpSink: Send {
    /// Takes the next part.
    async fn put(&mut self, part: DumpPart) -> StoreResult<()>;
}

/// Where a restore reads from.
#[async_trait]
pub trait DumpSource: Send {
    /// The next part, or `None` when the stream has ended (a complete
    /// stream ends with [`DumpPart::End`] before that).
    async fn next_part(&mut self) -> StoreResult<Option<DumpPart>>;
}

/// A whole registry out and in.
#[async_trait]
pub trait Snapshot: RegistryMeta {
    /// Streams the whole registry into `sink` from one snapshot (a write
    /// committed while it reads is either wholly in the dump or not at
    /// all), in chunks. An error from the sink stops the dump.
    async fn dump(&self, sink: &mut dyn DumpSink) -> StoreResult<DumpCounts>;

    /// Writes a whole registry from `source`, in one transaction: either
    /// all of it is stored or the registry is left exactly as it was.
    ///
    /// A registry that holds anything (persons, sources or history) is
    /// refused with [`StoreError::NotEmpty`] unless `replace`, in which case
    /// everything it holds is deleted first, in the same transaction.
    /// Timestamps and history are written as the dump has them (nothing is
    /// added to the history); source keys may be renumbered, references
    /// following. A dump that contradicts itself (a person id twice, an
    /// event citing a source the dump lacks, parts out of order, no end)
    /// is refused, and nothing is written. The registry version moves.
    async fn restore(&self, source: &mut dyn DumpSource, replace: bool) -> StoreResult<DumpCounts>;
}

/// A whole registry held in memory: what [`Snapshot::dump`] streams and
/// [`Snapshot::restore`] takes, collected. For tests and small registries;
/// `libres copy` streams instead (see [`copy`]).
///
/// Keys are the source database's: `Source::id` and the ids in
/// `Event::source_ids` refer to `sources` of this dump, and a restore may
/// give them new values as long as every reference follows. Detention and
/// event ids are informative only (a restore assigns new ones in the same
/// order). Timestamps are RFC 3339 UTC text, as the source wrote them.
///
/// A later issue that stores something new adds it here and to
/// [`DumpPart`], and to the dump and restore workflows; the conformance
/// suite's round trip then checks it on every backend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryDump {
    /// Whether the registry holds synthetic demo data.
    pub synthetic: bool,
    /// Every person, ordered by id.
    pub persons: Vec<DumpedPerson>,
    /// Every source, cited or not, ordered by id.
    pub sources: Vec<Source>,
    /// Every release announcement, ordered by id.
    pub announcements: Vec<Announcement>,
    /// Every name of every announcement's named list.
    pub names: Vec<DumpedName>,
    /// Every history entry of every person, in the order they were written.
    pub history: Vec<DumpedHistory>,
    /// Every statement, ordered by id.
    pub statements: Vec<DumpedStatement>,
    /// Every signature, ordered by id.
    pub signatures: Vec<DumpedSignature>,
}

/// One statement of a [`RegistryDump`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedStatement {
    /// The statement; its id is its key in the dump.
    pub statement: libres_core::statement::Statement,
    /// When it was made, Unix seconds.
    pub created_at: i64,
}

/// One signature of a [`RegistryDump`], every field of it. The mail its
/// signer is waiting for is not dumped: a copy's signers ask again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedSignature {
    /// The signature; `statement` is its statement's key in the dump.
    pub signature: crate::statements::SignatureRecord,
    /// The mailbox duplicates are found on.
    pub mailbox: String,
}

/// One person of a [`RegistryDump`], with everything that hangs off them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedPerson {
    /// The person, confidential fields included.
    pub person: Person,
    /// Status derived from `events`.
    pub status: Status,
    /// When the person was created, RFC 3339 UTC.
    pub created_at: String,
    /// When the person was last changed, RFC 3339 UTC.
    pub updated_at: String,
    /// Detentions, oldest first.
    pub detentions: Vec<Detention>,
    /// Timeline in chronological order (then insertion order); source ids
    /// refer to [`RegistryDump::sources`].
    pub events: Vec<Event>,
}

/// One name of an announcement's named list in a [`RegistryDump`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedName {
    /// The announcement's key in the dump.
    pub announcement: i64,
    /// The name.
    pub name: ListedName,
}

/// One history entry of a [`RegistryDump`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedHistory {
    /// The id of the person it is about, as stored.
    pub person_id: String,
    /// The entry.
    pub entry: HistoryEntry,
}

/// How many rows of each kind a [`RegistryDump`] holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DumpCounts {
    /// Persons.
    pub persons: u64,
    /// Detentions.
    pub detentions: u64,
    /// Timeline events.
    pub events: u64,
    /// Sources.
    pub sources: u64,
    /// Release announcements.
    pub announcements: u64,
    /// Names of the announcements' named lists.
    pub names: u64,
    /// History entries.
    pub history: u64,
    /// Statements.
    pub statements: u64,
    /// Signatures.
    pub signatures: u64,
}

impl RegistryDump {
    /// How many rows of each kind the dump holds.
    pub fn counts(&self) -> DumpCounts {
        let n = |x: usize| x as u64;
        DumpCounts {
            persons: n(self.persons.len()),
            detentions: n(self.persons.iter().map(|p| p.detentions.len()).sum()),
            events: n(self.persons.iter().map(|p| p.events.len()).sum()),
            sources: n(self.sources.len()),
            announcements: n(self.announcements.len()),
            names: n(self.names.len()),
            history: n(self.history.len()),
            statements: n(self.statements.len()),
            signatures: n(self.signatures.len()),
        }
    }

    /// Whether `other` holds the same registry, keys aside: what
    /// `self.without_keys() == other.without_keys()` says, without copying
    /// either dump. The same rules as [`compare`], which streams.
    pub fn same_registry(&self, other: &RegistryDump) -> bool {
        let mut a = Ranks::default();
        let mut b = Ranks::default();
        fn sorted(d: &RegistryDump) -> Vec<&Source> {
            let mut v: Vec<&Source> = d.sources.iter().collect();
            v.sort_by_key(|s| s.id);
            v
        }
        let (sa, sb) = (sorted(self), sorted(other));
        if self.synthetic != other.synthetic || sa.len() != sb.len() {
            return false;
        }
        for (x, y) in sa.iter().zip(&sb) {
            if a.push(x.id).is_err() || b.push(y.id).is_err() || !same_source(x, y) {
                return false;
            }
        }
        let (mut aa, mut ab) = (Ranks::default(), Ranks::default());
        let mut xs: Vec<&Announcement> = self.announcements.iter().collect();
        let mut ys: Vec<&Announcement> = other.announcements.iter().collect();
        xs.sort_by_key(|x| x.id);
        ys.sort_by_key(|y| y.id);
        for (x, y) in xs.iter().zip(&ys) {
            if aa.push(x.id).is_err() || ab.push(y.id).is_err() {
                return false;
            }
        }
        xs.len() == ys.len()
            && xs
                .iter()
                .zip(&ys)
                .all(|(x, y)| same_announcement(x, y, &a, &b))
            && self.names.len() == other.names.len()
            && self
                .names
                .iter()
                .zip(&other.names)
                .all(|(x, y)| same_name(x, y, &aa, &ab))
            && self.persons.len() == other.persons.len()
            && self
                .persons
                .iter()
                .zip(&other.persons)
                .all(|(x, y)| same_person(x, y, (&a, &b), (&aa, &ab)))
            && self.history == other.history
            && same_statements(self, other, &aa, &ab)
    }

    /// The dump with its keys replaced by canonical ones: sources numbered
    /// 1, 2, … in the order of their ids (references follow), detention and
    /// event ids set to 0. Two registries hold the same data exactly when
    /// their dumps are equal after this, whatever keys each backend chose.
    /// A reference to a source the dump lacks becomes `-1`.
    pub fn without_keys(&self) -> RegistryDump {
        let mut order: Vec<i64> = self.sources.iter().map(|s| s.id).collect();
        order.sort_unstable();
        let key = |id: i64| {
            order
                .binary_search(&id)
                .map_or(-1, |i| i64::try_from(i).map_or(-1, |i| i + 1))
        };
        let mut out = self.clone();
        for s in &mut out.sources {
            s.id = key(s.id);
        }
        out.sources.sort_by_key(|s| s.id);
        out.announcements.sort_by_key(|a| a.id);
        for n in &mut out.names {
            n.name.id = 0;
        }
        let announcement_order: Vec<i64> = out.announcements.iter().map(|a| a.id).collect();
        let announcement_key = |id: i64| {
            announcement_order
                .binary_search(&id)
                .map_or(-1, |i| i64::try_from(i).map_or(-1, |i| i + 1))
        };
        for n in &mut out.names {
            n.announcement = announcement_key(n.announcement);
        }
        for (i, a) in out.announcements.iter_mut().enumerate() {
            a.id = i64::try_from(i).map_or(-1, |i| i + 1);
            for s in &mut a.source_ids {
                *s = key(*s);
            }
            a.source_ids.sort_unstable();
        }
        out.statements.sort_by_key(|d| d.statement.id);
        let statement_order: Vec<i64> = out.statements.iter().map(|d| d.statement.id).collect();
        let statement_key = |id: i64| {
            statement_order
                .binary_search(&id)
                .map_or(-1, |i| i64::try_from(i).map_or(-1, |i| i + 1))
        };
        for (i, d) in out.statements.iter_mut().enumerate() {
            d.statement.id = i64::try_from(i).map_or(-1, |i| i + 1);
            for a in &mut d.statement.announcement_ids {
                *a = announcement_key(*a);
            }
            d.statement.announcement_ids.sort_unstable();
        }
        out.signatures.sort_by_key(|d| d.signature.id);
        for d in &mut out.signatures {
            d.signature.id = 0;
            d.signature.statement = statement_key(d.signature.statement);
        }
        for p in &mut out.persons {
            for d in &mut p.detentions {
                d.id = 0;
            }
            for e in &mut p.events {
                e.id = 0;
                e.announcement_id = e.announcement_id.map(&announcement_key);
                for s in &mut e.source_ids {
                    *s = key(*s);
                }
                e.source_ids.sort_unstable();
            }
        }
        out
    }
}

/// The keys of one side's sources in dump order, to compare references
/// by rank rather than by key (two backends number sources differently).
#[derive(Default)]
struct Ranks(Vec<i64>);

impl Ranks {
    /// Records the next source key; keys must ascend.
    fn push(&mut self, key: i64) -> Result<(), String> {
        if self.0.last().is_some_and(|&last| last >= key) {
            return Err(format!("source keys out of order at {key}"));
        }
        self.0.push(key);
        Ok(())
    }

    /// The rank of a cited key, `None` for a key no source has.
    fn rank(&self, key: i64) -> Option<usize> {
        self.0.binary_search(&key).ok()
    }

    /// The ranks of cited source keys, sorted.
    fn of(&self, keys: &[i64]) -> Vec<Option<usize>> {
        let mut v: Vec<Option<usize>> = keys.iter().map(|&k| self.rank(k)).collect();
        v.sort_unstable();
        v
    }
}

fn same_source(x: &Source, y: &Source) -> bool {
    x.url == y.url
        && x.title == y.title
        && x.publisher == y.publisher
        && x.date == y.date
        && x.kind == y.kind
        && x.confidential == y.confidential
}

/// The same listed name, keys aside: its announcement compared by rank.
fn same_name(x: &DumpedName, y: &DumpedName, a: &Ranks, b: &Ranks) -> bool {
    ListedName {
        id: 0,
        ..x.name.clone()
    } == ListedName {
        id: 0,
        ..y.name.clone()
    } && same_announcement_key(Some(x.announcement), Some(y.announcement), a, b)
}

/// The same announcement, keys aside: its sources compared by rank.
fn same_announcement(x: &Announcement, y: &Announcement, a: &Ranks, b: &Ranks) -> bool {
    let bare = |v: &Announcement| Announcement {
        id: 0,
        source_ids: Vec::new(),
        ..v.clone()
    };
    bare(x) == bare(y) && a.of(&x.source_ids) == b.of(&y.source_ids)
}

/// The same statement, keys aside: its announcements compared by rank.
fn same_statement(x: &DumpedStatement, y: &DumpedStatement, aa: &Ranks, ab: &Ranks) -> bool {
    let bare = |d: &DumpedStatement| libres_core::statement::Statement {
        id: 0,
        announcement_ids: Vec::new(),
        ..d.statement.clone()
    };
    bare(x) == bare(y)
        && x.created_at == y.created_at
        && aa.of(&x.statement.announcement_ids) == ab.of(&y.statement.announcement_ids)
}

/// The same signature, keys aside: its statement compared by rank.
fn same_signature(x: &DumpedSignature, y: &DumpedSignature, sa: &Ranks, sb: &Ranks) -> bool {
    let bare = |d: &DumpedSignature| crate::statements::SignatureRecord {
        id: 0,
        statement: 0,
        ..d.signature.clone()
    };
    bare(x) == bare(y)
        && x.mailbox == y.mailbox
        && sa.rank(x.signature.statement).is_some()
        && sa.rank(x.signature.statement) == sb.rank(y.signature.statement)
}

/// The statements and signatures of two dumps, keys aside.
fn same_statements(a: &RegistryDump, b: &RegistryDump, aa: &Ranks, ab: &Ranks) -> bool {
    fn sorted(d: &RegistryDump) -> Vec<&DumpedStatement> {
        let mut v: Vec<&DumpedStatement> = d.statements.iter().collect();
        v.sort_by_key(|s| s.statement.id);
        v
    }
    let (xs, ys) = (sorted(a), sorted(b));
    let (mut sa, mut sb) = (Ranks::default(), Ranks::default());
    for (x, y) in xs.iter().zip(&ys) {
        if sa.push(x.statement.id).is_err() || sb.push(y.statement.id).is_err() {
            return false;
        }
    }
    xs.len() == ys.len()
        && xs
            .iter()
            .zip(&ys)
            .all(|(x, y)| same_statement(x, y, aa, ab))
        && a.signatures.len() == b.signatures.len()
        && a.signatures
            .iter()
            .zip(&b.signatures)
            .all(|(x, y)| same_signature(x, y, &sa, &sb))
}

fn same_detention(x: &Detention, y: &Detention) -> bool {
    Detention { id: 0, ..x.clone() } == Detention { id: 0, ..y.clone() }
}

/// Two announcement keys of two dumps, compared by rank (`None` on both
/// sides is the same).
fn same_announcement_key(x: Option<i64>, y: Option<i64>, a: &Ranks, b: &Ranks) -> bool {
    match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => a.rank(x).is_some() && a.rank(x) == b.rank(y),
        _ => false,
    }
}

fn same_person(
    x: &DumpedPerson,
    y: &DumpedPerson,
    (a, b): (&Ranks, &Ranks),
    (aa, ab): (&Ranks, &Ranks),
) -> bool {
    let same_event = |e: &Event, f: &Event| {
        e.kind == f.kind
            && e.date == f.date
            && e.release == f.release
            && e.place == f.place
            && e.description == f.description
            && e.verification == f.verification
            && a.of(&e.source_ids) == b.of(&f.source_ids)
            && same_announcement_key(e.announcement_id, f.announcement_id, aa, ab)
    };
    x.person == y.person
        && x.status == y.status
        && x.created_at == y.created_at
        && x.updated_at == y.updated_at
        && x.detentions.len() == y.detentions.len()
        && x.detentions
            .iter()
            .zip(&y.detentions)
            .all(|(d, e)| same_detention(d, e))
        && x.events.len() == y.events.len()
        && x.events
            .iter()
            .zip(&y.events)
            .all(|(d, e)| same_event(d, e))
}

/// Collects a dump in memory.
#[async_trait]
impl DumpSink for RegistryDump {
    async fn put(&mut self, part: DumpPart) -> StoreResult<()> {
        match part {
            DumpPart::Header { synthetic } => self.synthetic = synthetic,
            DumpPart::Sources(v) => self.sources.extend(v),
            DumpPart::Announcements(v) => self.announcements.extend(v),
            DumpPart::Names(v) => self.names.extend(v),
            DumpPart::Persons(v) => self.persons.extend(v),
            DumpPart::History(v) => self.history.extend(v),
            DumpPart::Statements(v) => self.statements.extend(v),
            DumpPart::Signatures(v) => self.signatures.extend(v),
            DumpPart::End => {}
        }
        Ok(())
    }
}

impl RegistryDump {
    /// Reads the whole registry of `store` into memory.
    pub async fn read(store: &dyn Snapshot) -> StoreResult<RegistryDump> {
        let mut dump = RegistryDump::default();
        store.dump(&mut dump).await?;
        Ok(dump)
    }

    /// Writes this dump into `store` (see [`Snapshot::restore`]). The parts
    /// go out as they are, in the order they are held: a dump that
    /// contradicts itself reaches the store as it is.
    pub async fn restore_into(
        &self,
        store: &dyn Snapshot,
        replace: bool,
    ) -> StoreResult<DumpCounts> {
        let mut parts = self.parts().into_iter();
        let mut source = IterSource(&mut parts);
        store.restore(&mut source, replace).await
    }

    /// The dump as a stream of parts, in chunks of [`crate::registry::DUMP_CHUNK`].
    pub fn parts(&self) -> Vec<DumpPart> {
        let n = crate::registry::DUMP_CHUNK;
        let mut parts = vec![DumpPart::Header {
            synthetic: self.synthetic,
        }];
        parts.extend(
            self.sources
                .chunks(n)
                .map(|c| DumpPart::Sources(c.to_vec())),
        );
        parts.extend(
            self.announcements
                .chunks(n)
                .map(|c| DumpPart::Announcements(c.to_vec())),
        );
        parts.extend(self.names.chunks(n).map(|c| DumpPart::Names(c.to_vec())));
        parts.extend(
            self.persons
                .chunks(n)
                .map(|c| DumpPart::Persons(c.to_vec())),
        );
        parts.extend(
            self.history
                .chunks(n)
                .map(|c| DumpPart::History(c.to_vec())),
        );
        parts.extend(
            self.statements
                .chunks(n)
                .map(|c| DumpPart::Statements(c.to_vec())),
        );
        parts.extend(
            self.signatures
                .chunks(n)
                .map(|c| DumpPart::Signatures(c.to_vec())),
        );
        parts.push(DumpPart::End);
        parts
    }
}

/// A source reading parts from an iterator.
struct IterSource<'a, I>(&'a mut I);

#[async_trait]
impl<I: Iterator<Item = DumpPart> + Send> DumpSource for IterSource<'_, I> {
    async fn next_part(&mut self) -> StoreResult<Option<DumpPart>> {
        Ok(self.0.next())
    }
}

/// The sending half of [`channel`].
pub struct ChannelSink(tokio::sync::mpsc::Sender<DumpPart>);

/// The receiving half of [`channel`].
pub struct ChannelSource(tokio::sync::mpsc::Receiver<DumpPart>);

/// A pipe between a dump and a restore (or a comparison) running at the
/// same time, holding at most `parts` parts: the reader waits when the
/// writer is behind, and the other way round, so memory stays bounded.
pub fn channel(parts: usize) -> (ChannelSink, ChannelSource) {
    let (tx, rx) = tokio::sync::mpsc::channel(parts.max(1));
    (ChannelSink(tx), ChannelSource(rx))
}

#[async_trait]
impl DumpSink for ChannelSink {
    async fn put(&mut self, part: DumpPart) -> StoreResult<()> {
        self.0
            .send(part)
            .await
            .map_err(|_| StoreError::Aborted("the other end of the copy stopped".into()))
    }
}

#[async_trait]
impl DumpSource for ChannelSource {
    async fn next_part(&mut self) -> StoreResult<Option<DumpPart>> {
        Ok(self.0.recv().await)
    }
}

/// Parts held between the two ends of a copy or a comparison.
const PIPE_PARTS: usize = 4;

/// Copies the whole registry of `from` into `to`: the dump and the
/// restore run side by side through a bounded pipe, so the registry never
/// sits whole in memory. Either everything arrives, or `to` is left as it
/// was (a failing dump never ends its stream, so the restore never
/// commits). Returns what was copied. It does not check the copy; see
/// [`compare`].
pub async fn copy(
    from: &dyn Snapshot,
    to: &dyn Snapshot,
    replace: bool,
) -> StoreResult<DumpCounts> {
    let (mut sink, source) = channel(PIPE_PARTS);
    let dump = async move {
        let r = from.dump(&mut sink).await;
        drop(sink);
        r
    };
    // The restore owns its end of the pipe and drops it when it returns,
    // so a restore that stops early (a target that is not empty) stops
    // the dump too, instead of leaving it waiting on a full pipe.
    let restore = async move {
        let mut source = source;
        to.restore(&mut source, replace).await
    };
    let (dumped, restored) = tokio::join!(dump, restore);
    match (dumped, restored) {
        (Ok(d), Ok(r)) if d == r => Ok(r),
        (Ok(d), Ok(r)) => Err(StoreError::Other(format!(
            "the copy wrote {r:?} but the source held {d:?}"
        ))),
        // The restore's own error explains more than the dump's "the other
        // end stopped"; a failed dump makes the restore fail with it.
        (Err(e), Err(StoreError::Invalid(_))) | (Err(e), Ok(_)) => Err(e),
        (_, Err(e)) => Err(e),
    }
}

/// Reads `a` and `b` side by side and says whether they hold the same
/// registry, keys aside (the rules of [`RegistryDump::same_registry`]):
/// `Ok(Ok(counts))` when they do, `Ok(Err(what))` naming the first
/// difference when they do not. Memory stays bounded whatever the size.
pub async fn compare(
    a: &dyn Snapshot,
    b: &dyn Snapshot,
) -> StoreResult<Result<DumpCounts, String>> {
    let (mut sink_a, source_a) = channel(PIPE_PARTS);
    let (mut sink_b, source_b) = channel(PIPE_PARTS);
    let dump_a = async move { a.dump(&mut sink_a).await };
    let dump_b = async move { b.dump(&mut sink_b).await };
    let (ra, rb, verdict) = tokio::join!(dump_a, dump_b, compare_streams(source_a, source_b));
    // A difference found early closes the pipes and makes the dumps fail
    // with "the other end stopped": the difference is the answer.
    match verdict {
        Err(difference) => Ok(Err(difference)),
        Ok(counts) => {
            ra?;
            rb?;
            Ok(Ok(counts))
        }
    }
}

/// The items of a stream of parts, one at a time.
struct Items {
    source: ChannelSource,
    synthetic: Option<bool>,
    sources: std::vec::IntoIter<Source>,
    announcements: std::vec::IntoIter<Announcement>,
    names: std::vec::IntoIter<DumpedName>,
    persons: std::vec::IntoIter<DumpedPerson>,
    history: std::vec::IntoIter<DumpedHistory>,
    statements: std::vec::IntoIter<DumpedStatement>,
    signatures: std::vec::IntoIter<DumpedSignature>,
    ended: bool,
}

/// One item of a dump.
enum Item {
    Source(Source),
    Announcement(Box<Announcement>),
    Name(Box<DumpedName>),
    Person(Box<DumpedPerson>),
    History(DumpedHistory),
    Statement(Box<DumpedStatement>),
    Signature(Box<DumpedSignature>),
    End,
}

impl Items {
    fn new(source: ChannelSource) -> Items {
        Items {
            source,
            synthetic: None,
            sources: Vec::new().into_iter(),
            announcements: Vec::new().into_iter(),
            names: Vec::new().into_iter(),
            persons: Vec::new().into_iter(),
            history: Vec::new().into_iter(),
            statements: Vec::new().into_iter(),
            signatures: Vec::new().into_iter(),
            ended: false,
        }
    }

    async fn next(&mut self) -> Result<Item, String> {
        loop {
            if let Some(s) = self.sources.next() {
                return Ok(Item::Source(s));
            }
            if let Some(a) = self.announcements.next() {
                return Ok(Item::Announcement(Box::new(a)));
            }
            if let Some(n) = self.names.next() {
                return Ok(Item::Name(Box::new(n)));
            }
            if let Some(p) = self.persons.next() {
                return Ok(Item::Person(Box::new(p)));
            }
            if let Some(h) = self.history.next() {
                return Ok(Item::History(h));
            }
            if let Some(x) = self.statements.next() {
                return Ok(Item::Statement(Box::new(x)));
            }
            if let Some(x) = self.signatures.next() {
                return Ok(Item::Signature(Box::new(x)));
            }
            if self.ended {
                return Ok(Item::End);
            }
            match self.source.next_part().await {
                Ok(Some(DumpPart::Header { synthetic })) => self.synthetic = Some(synthetic),
                Ok(Some(DumpPart::Sources(v))) => self.sources = v.into_iter(),
                Ok(Some(DumpPart::Announcements(v))) => self.announcements = v.into_iter(),
                Ok(Some(DumpPart::Names(v))) => self.names = v.into_iter(),
                Ok(Some(DumpPart::Persons(v))) => self.persons = v.into_iter(),
                Ok(Some(DumpPart::History(v))) => self.history = v.into_iter(),
                Ok(Some(DumpPart::Statements(v))) => self.statements = v.into_iter(),
                Ok(Some(DumpPart::Signatures(v))) => self.signatures = v.into_iter(),
                Ok(Some(DumpPart::End)) => self.ended = true,
                Ok(None) | Err(_) => return Err("a dump stopped before its end".into()),
            }
        }
    }
}

async fn compare_streams(a: ChannelSource, b: ChannelSource) -> Result<DumpCounts, String> {
    let (mut a, mut b) = (Items::new(a), Items::new(b));
    let (mut ranks_a, mut ranks_b) = (Ranks::default(), Ranks::default());
    let (mut announced_a, mut announced_b) = (Ranks::default(), Ranks::default());
    let (mut stated_a, mut stated_b) = (Ranks::default(), Ranks::default());
    let mut counts = DumpCounts::default();
    loop {
        let (x, y) = (a.next().await?, b.next().await?);
        if a.synthetic != b.synthetic {
            return Err("one registry is synthetic and the other is not".into());
        }
        match (x, y) {
            (Item::End, Item::End) => return Ok(counts),
            (Item::Source(x), Item::Source(y)) => {
                ranks_a.push(x.id)?;
                ranks_b.push(y.id)?;
                if !same_source(&x, &y) {
                    return Err(format!("source {} differs: {x:?} against {y:?}", counts.sources + 1));
                }
                counts.sources += 1;
            }
            (Item::Announcement(x), Item::Announcement(y)) => {
                announced_a.push(x.id)?;
                announced_b.push(y.id)?;
                if !same_announcement(&x, &y, &ranks_a, &ranks_b) {
                    return Err(format!(
                        "announcement {} differs: {x:?} against {y:?}",
                        counts.announcements + 1
                    ));
                }
                counts.announcements += 1;
            }
            (Item::Name(x), Item::Name(y)) => {
                if !same_name(&x, &y, &announced_a, &announced_b) {
                    return Err(format!("listed name {} differs: {x:?} against {y:?}", counts.names + 1));
                }
                counts.names += 1;
            }
            (Item::Person(x), Item::Person(y)) => {
                if !same_person(&x, &y, (&ranks_a, &ranks_b), (&announced_a, &announced_b)) {
                    return Err(format!("person `{}` differs from `{}`", x.person.id, y.person.id));
                }
                counts.persons += 1;
                counts.detentions += x.detentions.len() as u64;
                counts.events += x.events.len() as u64;
            }
            (Item::History(x), Item::History(y)) => {
                if x != y {
                    return Err(format!("history entry {} differs: {x:?} against {y:?}", counts.history + 1));
                }
                counts.history += 1;
            }
            (Item::Statement(x), Item::Statement(y)) => {
                stated_a.push(x.statement.id)?;
                stated_b.push(y.statement.id)?;
                if !same_statement(&x, &y, &announced_a, &announced_b) {
                    return Err(format!(
                        "statement {} differs: {x:?} against {y:?}",
                        counts.statements + 1
                    ));
                }
                counts.statements += 1;
            }
            (Item::Signature(x), Item::Signature(y)) => {
                if !same_signature(&x, &y, &stated_a, &stated_b) {
                    return Err(format!(
                        "signature {} differs: {} against {}",
                        counts.signatures + 1,
                        x.signature.id,
                        y.signature.id
                    ));
                }
                counts.signatures += 1;
            }
            _ => {
                return Err(format!(
                    "one registry holds more than the other (after {} sources, {} announcements, {} persons, {} history entries)",
                    counts.sources, counts.announcements, counts.persons, counts.history
                ))
            }
        }
    }
}
