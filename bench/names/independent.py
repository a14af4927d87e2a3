#!/usr/bin/env python3
"""Independent writer of announced-list / registry test sets for `libres match`.

    independent.py --registry 20000 --list 3000 --on-registry-share 0.5 --seed 1 --out-dir DIR

writes DIR/registry.csv, DIR/list.csv and DIR/truth.csv (see README.md).
Standard library only; deterministic for a given set of arguments.

It was written from general knowledge of how registries of political
prisoners and official release lists look, without reading the matcher or
the project's own synthetic-data generator.

The world
---------
Every person is created with a *truth*: given names, one or two surnames,
sex, birth date, country and province, and whether they are a "junior"
(a son, or daughter, who carries a parent's whole given name).

* registry persons (--registry N): about 70 % in the list's country.  Some
  come in clusters that are on the registry together: siblings (same two
  surnames), father and son with the same given names (in a quarter of
  them the same two surnames as well: the two mothers share a surname), namesakes (same given names and first
  surname) and same-name pairs (same whole name, another province/year).
* a hidden population (--hidden, default 2 x registry): the rest of the
  prison population, mostly common prisoners of the list's country, drawn
  from the same name distributions, so namesakes and people with the same
  whole name as a registry person occur by themselves.  --relatives (8 %)
  of registry persons also get a relative in it: a sibling (3 in 4) or a
  father or son with the same given names (1 in 4).
* the list (--list M): round(M x share) registry persons of the list's
  country (positives) and the rest off-registry people from the hidden
  population (negatives).  A hidden relative is listed --relative-boost
  (1.0) times as often as a registry person is; the other negatives are
  strangers.  This is the Cuban pattern of January 2025: of the 553
  released about 200 were political prisoners, the others common
  prisoners of the same population.

The registry view of a person is what a researcher wrote: accents dropped
in some rows, a given name cut short, the second surname unknown, a birth
date that is full, a year, a month, a decade (198X), approximate (1985~) or
empty, a province missing or in an older form, a "(hijo)"/"Jr." marker.

The list view is what a clerk wrote: upper case without accents (mostly),
"SURNAMES, GIVEN NAMES" order in some rows, one surname only, surnames
swapped, a second surname as an initial, compound given names shortened
or cut to the first, "MA." for María, initials, hypocorisms (Pepe, Paco,
Chucho, Nacho, Lupe...), particles moved or glued ("DELACRUZ", "CRUZ"),
phonetic misspellings (b/v, s/z/c, ll/y, h, j/g, x/j, i/y, double
letters) and OCR-like ones (rn/m, l/i, a dropped, doubled or swapped
letter), a loose province ("STGO DE CUBA", "C. HABANA", "PINAR"), a
province that contradicts (the person moved, or a clerk's error) and a
birth year off by one.  Each list has its own style (how often it gives
a year, a province, the comma order) drawn from the seed.

truth.csv kinds
---------------
Positives: `pos`, or `pos_<cluster>` when the person has a confusable
relative or double (sibling, father_son, namesake, same_name) on the
registry or in the hidden population.  Negatives: `neg_sibling` and
`neg_father_son` (a registry person's hidden relative), `neg_same_name`
(same given names and both surnames as a registry person),
`neg_namesake` (same given names and first surname), `neg_common` (same
first given name and first surname), `neg_stranger` (none of these).

The `singled_out` rule
----------------------
A positive row is `singled_out = no` when some other person in the world
(registry persons, off-registry people on the list, the hidden population)
is *compatible with everything the row writes*; otherwise `yes`.

What a row writes is read as its evidence:
  * each written given name: a name (a hypocorism stands for the names it
    shortens: BETO = Alberto or Roberto; MA. = María) or an initial;
  * each written surname: a name, the first word of a two-word surname
    ("MONTES" for Montes de Oca) or an initial;
  * a junior marker (JR, HIJO), a birth year, a province.
A misspelling is read as the name it misspells (the reader can recover
it); names are compared by a Spanish phonetic key (accents, case,
particles, b/v, s/z/c, ll/y, h, j/g, x/j, i/y and double letters folded),
so "Peres" and "Pérez" are the same name.

Another person Q is compatible when all of these hold:
  * surnames: one written surname equals Q's first surname; two written
    surnames equal Q's two in either order (swaps happen), or the first
    (either of them) equals Q's only known surname;
  * given names: the written names are, in order, a subsequence of Q's
    (names may be dropped, not invented); for a registry record cut to the
    first given name, the row's first name is that name;
  * a junior marker on the row needs Q to be a junior;
  * a written year lies within Q's birth interval widened by one year
    (off-by-one years happen); an unknown birth is compatible;
  * a written province equals Q's; an unknown province is compatible.
For registry persons Q is read from the registry record (what is written:
a blank birth date or province is unknown, a cut given name is cut); for
off-registry people from their truth (nothing else is written about them).
So a row is singled out when the written information, read by a careful
human with the registry in hand, could only mean its true person.
"""
import argparse
import bisect
import csv
import functools
import json
import os
import random
import re
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pools  # noqa: E402

REF_YEAR = 2025
COUNTRIES = ["CU", "VE", "NI"]
PARTICLES = pools.PARTICLES


# ------------------------------------------------------------------ text
def strip_accents(s):
    s = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in s if unicodedata.category(c) != "Mn"))


@functools.lru_cache(maxsize=None)
def fold(s):
    return re.sub(r"[^a-z]+", " ", strip_accents(s).lower()).strip()


_G_SOFT = re.compile(r"g(?=[ei])")
_GU = re.compile(r"gu(?=[ei])")
_C_SOFT = re.compile(r"c(?=[ei])")
_Y_VOWEL = re.compile(r"y(?![aeiou])")
_DOUBLE = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=None)
def phon(w):
    """Spanish phonetic key of one folded word (letters only)."""
    w = w.replace("ph", "f").replace("th", "t").replace("ch", "0").replace("ll", "y")
    w = _G_SOFT.sub("j", w)
    w = _GU.sub("g", w)
    w = w.replace("qu", "k")
    w = _C_SOFT.sub("s", w)
    w = (w.replace("z", "s").replace("c", "k").replace("q", "k").replace("x", "j")
         .replace("v", "b").replace("w", "u").replace("h", ""))
    w = _Y_VOWEL.sub("i", w)
    w = _DOUBLE.sub(r"\1", w)
    return w.replace("0", "ch")


@functools.lru_cache(maxsize=None)
def sig_words(s):
    return tuple(w for w in fold(s).split() if w not in PARTICLES)


@functools.lru_cache(maxsize=None)
def skey(s):
    return phon("".join(sig_words(s)))


@functools.lru_cache(maxsize=None)
def gkeys(g):
    return tuple(phon(w) for w in sig_words(g))


# ------------------------------------------------------------- samplers
class Weighted:
    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs):
        self.items, self.cum, t = [], [], 0.0
        for it, w in pairs:
            t += w
            self.items.append(it)
            self.cum.append(t)
        self.total = t

    def draw(self, rng):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def ranked(names, head=3.0, s=1.0):
    seen, out = set(), []
    for n in names:
        if n not in seen:
            seen.add(n)
            out.append(n)
    return [(n, 1.0 / (i + head) ** s) for i, n in enumerate(out)]


def words(block):
    return [w.replace("_", " ") for w in block.split()]


def build_surnames(country):
    top = pools.TOP_SURNAMES[country]
    have = {n for n, _ in top}
    core = [n for n in words(pools.CORE_SURNAMES) if n not in have]
    extra = [n for n in words(pools.COUNTRY_SURNAMES[country]) if n not in have]
    # interleave the shared core and the country's own surnames (2:1)
    mid, i, j = [], 0, 0
    while i < len(core) or j < len(extra):
        for _ in range(2):
            if i < len(core):
                mid.append(core[i]); i += 1
        if j < len(extra):
            mid.append(extra[j]); j += 1
    tail = list(pools.PARTICLE_SURNAMES) + words(pools.RARE_SURNAMES)
    for c in COUNTRIES:
        if c != country:
            tail += words(pools.COUNTRY_SURNAMES[c])
    seen, rest = set(have), []
    for n in mid + tail:
        if n not in seen:
            seen.add(n)
            rest.append(n)
    pairs = list(top)
    w_last, r0 = top[-1][1], len(top)
    for k, n in enumerate(rest):  # Zipf tail continuing the head (exponent 1.05)
        pairs.append((n, w_last * (r0 / (r0 + k + 1)) ** 1.05))
    # particle surnames are moderately frequent ("de la Cruz", "del Valle"): lift them
    lifted = []
    for n, w in pairs:
        lifted.append((n, max(w, 0.05) if n in pools.PARTICLE_SURNAMES[:18] else w))
    return Weighted(lifted)


def build_given(country, sex):
    return Weighted(ranked(words(pools.GIVEN[(country, sex)]), head=4.0, s=1.0))


def build_compound(country, sex):
    names = pools.COUNTRY_COMPOUND[country][sex] + pools.COMPOUND_GIVEN[sex]
    return Weighted(ranked(names, head=6.0, s=0.7))


HYPO_REV = {}
for canon, hs in pools.HYPOCORISMS.items():
    for h in hs:
        HYPO_REV.setdefault(h, set()).add(phon(fold(canon)))

AGE_BANDS = Weighted([((18, 24), 18), ((25, 34), 30), ((35, 44), 24), ((45, 54), 15),
                      ((55, 64), 9), ((65, 80), 4)])
SECOND_GIVEN = {"CU": 0.33, "VE": 0.50, "NI": 0.42}
COMPOUND_P = {"CU": 0.12, "VE": 0.16, "NI": 0.14}


# ---------------------------------------------------------------- world
class Person:
    __slots__ = ("idx", "given", "s1", "s2", "sex", "by", "bm", "bd", "country", "prov",
                 "nat", "junior", "tags", "on_reg", "rid", "rel", "rec", "info", "neg_kind")

    def __init__(self):
        self.junior = False
        self.tags = []
        self.on_reg = False
        self.rid = ""
        self.rel = None
        self.rec = None
        self.info = None
        self.neg_kind = None


class World:
    def __init__(self, rng, list_country):
        self.rng = rng
        self.lc = list_country
        self.people = []
        self.foreign_high = True
        self.sur = {c: build_surnames(c) for c in COUNTRIES}
        self.giv = {(c, s): build_given(c, s) for c in COUNTRIES for s in "MF"}
        self.second = {s: Weighted(ranked(words(pools.SECOND_GIVEN[s]), head=3.0, s=1.0))
                       for s in "MF"}
        self.comp = {(c, s): build_compound(c, s) for c in COUNTRIES for s in "MF"}
        self.prov = {c: Weighted([(p[0], p[1]) for p in pools.PROVINCES[c]]) for c in COUNTRIES}
        self.loose = {p[0]: p[2] for c in COUNTRIES for p in pools.PROVINCES[c]}
        self.prov_country = {p[0]: c for c in COUNTRIES for p in pools.PROVINCES[c]}

    # -- draws
    def draw_given(self, country, sex):
        rng = self.rng
        if sex == "X":
            sex = rng.choice("MF")
        if rng.random() < COMPOUND_P[country]:
            return self.comp[(country, sex)].draw(rng)
        g = self.giv[(country, sex)].draw(rng)
        p2 = SECOND_GIVEN[country] if g in pools.TRADITIONAL else 0.15
        if rng.random() < p2:
            for _ in range(4):
                g2 = self.second[sex].draw(rng)
                if phon(fold(g2)) != phon(fold(g)):
                    return g + " " + g2
        return g

    def draw_by(self):
        lo, hi = AGE_BANDS.draw(self.rng)
        return REF_YEAR - self.rng.randint(lo, hi)

    def new(self, country, sex=None):
        rng = self.rng
        p = Person()
        p.idx = len(self.people)
        self.people.append(p)
        p.country = country
        r = rng.random()
        p.sex = sex or ("M" if r < 0.86 else ("F" if r < 0.995 else "X"))
        p.by, p.bm, p.bd = self.draw_by(), rng.randint(1, 12), rng.randint(1, 28)
        p.prov = self.prov[country].draw(rng)
        p.nat = country
        if country == "VE" and rng.random() < (0.02 if self.foreign_high else 0.005):
            # foreign nationals, one surname (more of them among political prisoners)
            nat = rng.choice(sorted(pools.FOREIGN_NAMES))
            gs, ss = pools.FOREIGN_NAMES[nat]
            p.nat, p.sex = nat, "M"
            p.given, p.s1, p.s2 = rng.choice(gs), rng.choice(ss), ""
            return p
        p.given = self.draw_given(country, p.sex)
        p.s1 = self.sur[country].draw(rng)
        p.s2 = self.sur[country].draw(rng)
        r = rng.random()
        if r < 0.02:
            p.nat = country + "|ES"
        elif country == "VE" and r < 0.05:
            p.nat = rng.choice(["VE|IT", "VE|PT", "VE|CO", "CO", "PE", "ES"])
        elif country == "CU" and r < 0.03:
            p.nat = "CU|US"
        return p

    def other_province(self, p):
        for _ in range(10):
            q = self.prov[p.country].draw(self.rng)
            if q != p.prov:
                return q
        return p.prov

    def relative(self, base, kind):
        """A new person related to `base` by `kind`; returns it (or None)."""
        rng = self.rng
        if not base.s2 and kind in ("sibling", "same_name"):
            return None
        q = self.new(base.country)
        q.nat = base.nat if "|" in base.nat or base.nat == base.country else base.country
        if kind == "sibling":
            q.s1, q.s2 = base.s1, base.s2
            for _ in range(6):
                q.given = self.draw_given(base.country, q.sex)
                if gkeys(q.given) != gkeys(base.given):
                    break
            else:
                return None
            q.by = min(REF_YEAR - 18, max(1940, base.by + rng.choice([-1, 1]) * rng.randint(1, 12)))
            q.prov = base.prov if rng.random() < 0.8 else self.other_province(base)
        elif kind == "father_son":
            q.sex = base.sex if base.sex != "X" else "M"
            q.given, q.s1 = base.given, base.s1
            # the son's second surname is his mother's: the same as his father's
            # only when the two mothers share a surname (common surnames make it happen)
            q.s2 = base.s2 if rng.random() < 0.25 else self.sur[base.country].draw(rng)
            gap = rng.randint(20, 35)
            if base.by - gap >= 1935 and (base.by + gap > REF_YEAR - 18 or rng.random() < 0.5):
                q.by = base.by - gap          # q is the parent, base the junior
                base.junior = True
            elif base.by + gap <= REF_YEAR - 18:
                q.by = base.by + gap          # q is the junior
                q.junior = True
            else:
                return None
            q.prov = base.prov if rng.random() < 0.85 else self.other_province(base)
        elif kind == "namesake":
            q.given, q.s1 = base.given, base.s1
            for _ in range(6):
                q.s2 = self.sur[base.country].draw(rng)
                if skey(q.s2) != skey(base.s2 or "-"):
                    break
            q.sex = base.sex
            if rng.random() < 0.5:
                q.prov = base.prov
        elif kind == "same_name":
            q.given, q.s1, q.s2, q.sex = base.given, base.s1, base.s2, base.sex
            q.prov = self.other_province(base)
            if rng.random() < 0.3:
                q.by = base.by  # same year too: only the province tells them apart
        q.rel = base
        if kind not in base.tags:
            base.tags.append(kind)
        q.tags.append(kind)
        return q


# ------------------------------------------------------- registry record
def edtf(p, rng, blank=False):
    """The recorded birth date and the interval it allows (None: unknown)."""
    r = rng.random()
    if blank or r < 0.13:
        return "", None
    if r < 0.68:
        return "%04d-%02d-%02d" % (p.by, p.bm, p.bd), (p.by, p.by)
    if r < 0.90:
        return "%04d" % p.by, (p.by, p.by)
    if r < 0.93:
        return "%04d-%02d" % (p.by, p.bm), (p.by, p.by)
    if r < 0.96:
        d = p.by // 10
        return "%03dX" % d, (d * 10, d * 10 + 9)
    y = p.by + rng.choice([-2, -1, 0, 0, 0, 1, 2])
    return "%04d~" % y, (y - 2, y + 2)


@functools.lru_cache(maxsize=None)
def surname_info(s):
    sw = sig_words(s)
    if not sw:
        return None
    full = phon("".join(sw))
    return (full, phon(sw[0]) if len(sw) > 1 else full, sw[0][0])


class Info:
    """What can be read about a person (registry record, or truth)."""
    __slots__ = ("p", "g", "partial", "s1", "s2", "yr", "prov", "junior")


def truth_info(p):
    i = Info()
    i.p = p
    i.g = [(k, w[0]) for k, w in zip(gkeys(p.given), sig_words(p.given))]
    i.partial = False
    i.s1, i.s2 = surname_info(p.s1), surname_info(p.s2) if p.s2 else None
    i.yr, i.prov, i.junior = (p.by, p.by), p.prov, p.junior
    return i


def make_record(w, p, rng, force_blank_date=False):
    info = truth_info(p)
    given, s1, s2 = p.given, p.s1, p.s2
    sw = given.split()
    sig = [x for x in sw if fold(x) not in PARTICLES]
    if len(sig) >= 2 and rng.random() < 0.05:  # only the first given name recorded
        given = sig[0]
        info.g = info.g[:1]
        info.partial = True
    if p.junior and rng.random() < 0.35:
        given += rng.choice([" (hijo)", " Jr.", " hijo"])
    if s2 and rng.random() < 0.03:  # second surname unknown
        s2 = ""
        info.s2 = None
    elif s2 and rng.random() < 0.01:  # both surnames typed into surname1
        s1, s2 = s1 + " " + s2, ""
    if " " in s1 and s1.split()[0] in PARTICLES and rng.random() < 0.5:
        s1 = s1[0].upper() + s1[1:]
    if rng.random() < 0.15:
        given, s1, s2 = strip_accents(given), strip_accents(s1), strip_accents(s2)
    if rng.random() < 0.02:
        given, s1, s2 = given.upper(), s1.upper(), s2.upper()
    bd, info.yr = edtf(p, rng, force_blank_date)
    prov = p.prov
    r = rng.random()
    if r < 0.10:
        prov, info.prov = "", None
    elif r < 0.15 and prov in pools.REGISTRY_PROVINCE_VARIANTS:
        prov = rng.choice(pools.REGISTRY_PROVINCE_VARIANTS[prov])
    notes = []
    if rng.random() < 0.35:
        notes.append(rng.choice(pools.NOTES))
    if p.rel is not None and p.rel.on_reg and rng.random() < 0.5:
        notes.append("Familiar de %s (también en el registro)." % p.rel.rid)
    contact = ""
    if rng.random() < 0.6:
        contact = "%s: +%s %d (ficticio)" % (
            rng.choice(pools.RELATIONS), {"CU": "53", "VE": "58", "NI": "505"}[p.country],
            rng.randint(50000000, 59999999))
    p.rec = {"id": p.rid, "given_names": given, "surname1": s1, "surname2": s2,
             "birth_date": bd, "sex": p.sex, "nationality": p.nat, "country": p.country,
             "province": prov, "private_notes": " ".join(notes), "family_contact": contact,
             "publish": "yes"}
    p.info = info


# ------------------------------------------------------------ list rows
PHONETIC = [("b", "v"), ("v", "b"), ("s", "z"), ("z", "s"), ("ce", "se"), ("ci", "si"),
            ("se", "ce"), ("si", "ci"), ("ll", "y"), ("y", "ll"), ("h", ""), ("j", "g"),
            ("ge", "je"), ("gi", "ji"), ("x", "j"), ("j", "x"), ("y", "i"), ("i", "y"),
            ("rr", "r"), ("nn", "n"), ("ss", "s"), ("cc", "c"), ("qu", "k"), ("gu", "g")]
OCR = [("rn", "m"), ("m", "rn"), ("l", "i"), ("i", "l"), ("e", "c"), ("c", "e"),
       ("u", "v"), ("n", "h"), ("cl", "d"), ("o", "a"), ("a", "o"), ("t", "f")]


def misspell(word, rng, table):
    w = word.lower()
    cands = [(a, b) for a, b in table if a in w]
    if table is OCR and rng.random() < 0.5:
        if len(w) < 4:
            return word
        i = rng.randrange(1, len(w) - 1)
        op = rng.randrange(3)
        if op == 0:
            w = w[:i] + w[i + 1:]                    # letter dropped
        elif op == 1:
            w = w[:i] + w[i] + w[i:]                 # letter doubled
        else:
            w = w[:i - 1] + w[i] + w[i - 1] + w[i + 1:]  # neighbours swapped
        return w
    if not cands:
        if not w.startswith("h") and w[0] in "aeiou" and table is PHONETIC and rng.random() < 0.3:
            return "h" + w
        return word
    a, b = rng.choice(cands)
    spots = [m.start() for m in re.finditer(re.escape(a), w)]
    i = rng.choice(spots)
    return w[:i] + b + w[i + len(a):]


class Style:
    """How one list is written (drawn once per list)."""
    def __init__(self, rng):
        self.p_year = rng.uniform(0.3, 0.8)
        self.p_prov = rng.uniform(0.3, 0.8)
        self.p_comma = rng.uniform(0.1, 0.5)
        self.p_upper = rng.uniform(0.8, 1.0)
        self.p_keep_acc = rng.uniform(0.05, 0.3)
        self.p_phon = rng.uniform(0.03, 0.06)
        self.p_ocr = rng.uniform(0.005, 0.02)
        self.p_one_surname = rng.uniform(0.10, 0.25)


def render_given(w, p, rng):
    """(written words, evidence) for the given names."""
    allw = p.given.split()
    sig = [x for x in allw if fold(x) not in PARTICLES]
    keyed = [(x, phon(fold(x))) for x in sig]
    first = sig[0]
    hy = pools.HYPOCORISMS.get(first)
    r = rng.random()
    if hy and r < 0.04:
        h = rng.choice(hy)
        return [h], [("K", HYPO_REV[h])]
    if len(sig) == 1:
        return list(allw), [("K", {k}) for _, k in keyed]
    r = rng.random()
    if r < 0.55:
        out, ev = list(allw), [("K", {k}) for _, k in keyed]
    elif r < 0.77:
        out, ev = [first], [("K", {keyed[0][1]})]
    elif r < 0.87:
        out = [first] + [x[0] + "." for x in sig[1:]]
        ev = [("K", {keyed[0][1]})] + [("I", fold(x)[0]) for x in sig[1:]]
    elif r < 0.95 and len(allw) > len(sig):  # particles dropped
        out, ev = list(sig), [("K", {k}) for _, k in keyed]
    elif r < 0.97:
        out = [first[0] + "."] + sig[1:]
        ev = [("I", fold(first)[0])] + [("K", {k}) for _, k in keyed[1:]]
    else:
        out, ev = list(allw), [("K", {k}) for _, k in keyed]
    if fold(first) == "maria" and len(out) > 1 and out[0] == first and rng.random() < 0.4:
        out[0] = rng.choice(["MA.", "MA.", "MA", "M."])
        ev[0] = ("I", "m") if out[0] == "M." else ("K", {"maria"})
    return out, ev


def render_surname(s, rng):
    """(written words, evidence) for one surname."""
    ws = s.split()
    sw = [x for x in ws if fold(x) not in PARTICLES]
    full = ("K", {skey(s)})
    if len(ws) == 1:
        return ws, full
    r = rng.random()
    lead_particle = fold(ws[0]) in PARTICLES
    if r < 0.6:
        return ws, full
    if r < 0.75:
        return ["".join(ws)], full                              # DELACRUZ, MONTESDEOCA
    if lead_particle:
        return sw if len(sw) == 1 else ws[ws.index(sw[0]):], full  # CRUZ, VALLE
    if len(sw) > 1 and r < 0.9:
        return [sw[0]], ("P", phon(fold(sw[0])))                # MONTES for Montes de Oca
    return ws, full


def write_row(w, p, rng, st):
    g_out, g_ev = render_given(w, p, rng)
    s1_out, s1_ev = render_surname(p.s1, rng)
    s_ev, s_out = [s1_ev], [s1_out]
    if p.s2:
        r = rng.random()
        s2_out, s2_ev = render_surname(p.s2, rng)
        if r < st.p_one_surname:
            pass
        elif r < st.p_one_surname + 0.04:                       # swapped
            s_out, s_ev = [s2_out, s1_out], [s2_ev, s1_ev]
        elif r < st.p_one_surname + 0.08:                       # second as initial
            ini = sig_words(p.s2)[0][0]
            s_out.append([ini.upper() + "."])
            s_ev.append(("I", ini))
        else:
            s_out.append(s2_out)
            s_ev.append(s2_ev)

    def spell(ws):
        out = []
        for x in ws:
            if fold(x) in PARTICLES or x.endswith(".") or len(x) < 3:
                out.append(x)
                continue
            r = rng.random()
            if r < st.p_phon:
                x = misspell(x, rng, PHONETIC)
            elif r < st.p_phon + st.p_ocr:
                x = misspell(x, rng, OCR)
            out.append(x)
        return out

    g_txt = spell(g_out)
    s_txt = [w_ for part in s_out for w_ in spell(part)]
    upper = rng.random() < st.p_upper
    keep_acc = rng.random() < (st.p_keep_acc if upper else 0.6)

    def case(ws):
        t = " ".join(ws)
        if not keep_acc:
            t = strip_accents(t)
        return t.upper() if upper else " ".join(x[:1].upper() + x[1:] for x in t.split())

    G, S = case(g_txt), case(s_txt)
    r = rng.random()
    if r < st.p_comma:
        name = S + ", " + G
    elif r < st.p_comma + 0.03:
        name = S + " " + G
    else:
        name = G + " " + S
    jr = False
    if p.junior and rng.random() < 0.4:
        jr = True
        name += rng.choice([" JR", " JR.", " (HIJO)", " HIJO"]) if upper else rng.choice([" Jr.", " (hijo)"])
    if rng.random() < 0.02:
        name = name.replace(" ", "  ", 1)
    if rng.random() < 0.01:
        name += "."
    year = ""
    ev_year = None
    if rng.random() < st.p_year:
        y = p.by + (rng.choice([-1, 1]) if rng.random() < 0.05 else 0)
        year, ev_year = str(y), y
    prov = ""
    ev_prov = None
    if rng.random() < st.p_prov:
        canon = p.prov if rng.random() >= 0.04 else w.other_province(p)
        ev_prov = canon
        forms = w.loose[canon]
        prov = rng.choice(forms) if rng.random() < 0.85 else canon.upper()
        if not upper:
            prov = canon if rng.random() < 0.5 else prov.title()
    ev = {"g": g_ev, "s": s_ev, "jr": jr, "year": ev_year, "prov": ev_prov}
    return {"full_name": name, "birth_year": year, "province": prov}, ev


# ------------------------------------------------------- compatibility
def s_match(e, si):
    t, v = e
    if t == "K":
        return si[0] in v
    if t == "P":
        return si[0] == v or si[1] == v
    return si[2] == v


def g_tok(e, gk):
    t, v = e
    return gk[0] in v if t == "K" else gk[1] == v


def g_subseq(ev, gs):
    i = 0
    for e in ev:
        while i < len(gs) and not g_tok(e, gs[i]):
            i += 1
        if i == len(gs):
            return False
        i += 1
    return True


def compatible(ev, q):
    if ev["jr"] and not q.junior:
        return False
    y = ev["year"]
    if y is not None and q.yr is not None and not (q.yr[0] - 1 <= y <= q.yr[1] + 1):
        return False
    if ev["prov"] is not None and q.prov is not None and ev["prov"] != q.prov:
        return False
    s = ev["s"]
    if len(s) == 1:
        if not s_match(s[0], q.s1):
            return False
    elif q.s2 is None:
        if not (s_match(s[0], q.s1) or s_match(s[1], q.s1)):
            return False
    elif not ((s_match(s[0], q.s1) and s_match(s[1], q.s2)) or
              (s_match(s[0], q.s2) and s_match(s[1], q.s1))):
        return False
    if g_subseq(ev["g"], q.g):
        return True
    # a record cut to the first given name: the row's first name must be that one
    return q.partial and bool(ev["g"]) and g_tok(ev["g"][0], q.g[0])


def index_keys(q):
    ks = set()
    for si in (q.s1, q.s2):
        if si:
            ks.add(si[0])
            ks.add(si[1])
    return ks


def lookup_keys(e):
    t, v = e
    if t == "K":
        return v
    if t == "P":
        return {v}
    return None


# ------------------------------------------------- reference (ceiling check)
class Frequencies:
    """Name, year and province frequencies read from the registry records: what a
    matcher can learn without seeing anyone off the registry."""

    def __init__(self, infos):
        from collections import Counter
        self.n = len(infos)
        self.s1, self.s2, self.g, self.y, self.pv = Counter(), Counter(), Counter(), Counter(), Counter()
        for i in infos:
            self.s1[i.s1[0]] += 1
            if i.s2:
                self.s2[i.s2[0]] += 1
            for k, _ in i.g:
                self.g[k] += 1
            if i.yr:
                span = i.yr[1] - i.yr[0] + 1
                for y in range(i.yr[0], i.yr[1] + 1):
                    self.y[y] += 1.0 / span
            if i.prov:
                self.pv[i.prov] += 1

    def share(self, e, c):
        t, v = e
        if t == "K":
            s = sum(c[x] for x in v)
        elif t == "P":
            s = 1.5 * c[v]
        else:
            return 1.0 / 15
        return max(s, 0.5) / self.n

    def expected(self, ev, r):
        """Chance that a random person fits what the row and the one fitting record
        R both state (fields unknown in R cancel out of the likelihood ratio)."""
        s = ev["s"]
        x = self.share(s[0], self.s1)
        if len(s) > 1 and r.s2 is not None:
            x *= self.share(s[1], self.s2)
        for e in (ev["g"][:1] if r.partial else ev["g"]):
            x *= self.share(e, self.g)
        if ev["year"] is not None and r.yr is not None:
            x *= sum(self.y[y] for y in range(ev["year"] - 1, ev["year"] + 2)) / self.n
        if ev["prov"] is not None and r.prov is not None:
            x *= self.pv[ev["prov"]] / self.n
        return x


def reference(ref_rows, n_pos):
    """Two registry-only references, given the row's parsed evidence:
    `unique`: match every row that exactly one registry record fits;
    `freq`: match such rows by increasing chance that a stranger fits them too,
    stopping at recall 0.85 over singled-out positives (and, as `freq_recall_so_at_0995`,
    the highest recall over singled-out positives at which its precision is still
    at least 0.995).  Neither parses text: they
    show what the written information allows, a ceiling check for the targets."""
    so = sum(1 for r in ref_rows if r[2])
    uniq = [r for r in ref_rows if r[0] is not None]
    out = {"singled_out": so,
           "unique_match": len(uniq),
           "unique_precision": round(sum(r[1] for r in uniq) / max(1, len(uniq)), 4),
           "unique_recall_so": round(sum(1 for r in uniq if r[1] and r[2]) / max(1, so), 4)}
    m = right = right_so = 0
    out["freq_precision_at_085"] = None
    out["freq_recall_so_at_0995"] = 0.0
    for e, ok, single in sorted(uniq, key=lambda r: r[0]):
        m += 1
        right += ok
        right_so += ok and single
        if right / m >= 0.995:
            out["freq_recall_so_at_0995"] = round(right_so / max(1, so), 4)
        if right_so >= 0.85 * so and out["freq_precision_at_085"] is None:
            out["freq_precision_at_085"] = round(right / m, 4)
            out["freq_match_at_085"] = m
    return out


# ---------------------------------------------------------------- main
def generate(args):
    t0 = time.time()
    rng = random.Random("libres-independent:%d" % args.seed)
    lc = args.country or COUNTRIES[(args.seed - 1) % 3]
    w = World(rng, lc)
    others = [c for c in COUNTRIES if c != lc]

    def reg_country():
        r = rng.random()
        return lc if r < 0.7 else (others[0] if r < 0.85 else others[1])

    # registry persons, some in clusters that are registered together
    reg = []
    fs_reg = set()  # fathers and sons who are both on the registry
    while len(reg) < args.registry:
        base = w.new(reg_country())
        reg.append(base)
        r = rng.random()
        kind = None
        if r < 0.05:
            kind = "sibling"
        elif r < 0.075:
            kind = "father_son"
        elif r < 0.10:
            kind = "namesake"
        elif r < 0.12:
            kind = "same_name"
        if kind and len(reg) < args.registry:
            n = rng.choice([1, 1, 1, 2]) if kind == "sibling" else 1
            for _ in range(n):
                q = w.relative(base, kind)
                if q is not None and len(reg) < args.registry:
                    reg.append(q)
                    if kind == "father_son":
                        fs_reg.update((base.idx, q.idx))
    for p in reg:
        p.on_reg = True

    # hidden population: relatives of registry persons, then strangers
    hidden = []
    # (namesakes and same-name strangers arise by themselves from the name distributions)
    rel_kinds = Weighted([("sibling", 75), ("father_son", 25)])
    for base in reg:
        if rng.random() < args.relatives:
            k = rel_kinds.draw(rng)
            q = w.relative(base, k)
            if q is not None:
                q.neg_kind = "neg_" + k
                hidden.append(q)
    w.foreign_high = False
    while len(hidden) < args.hidden:
        hidden.append(w.new(lc if rng.random() < 0.9 else rng.choice(others)))

    # registry ids and records (after all relatives exist: junior flags are final)
    order = list(reg)
    rng.shuffle(order)
    counters = {c: 0 for c in COUNTRIES}
    for p in order:
        counters[p.country] += 1
        p.rid = "%s-%05d" % (p.country, counters[p.country])
    for p in order:
        # where father and son are both registered, one of them often lacks the date
        blank = p.idx in fs_reg and rng.random() < 0.3
        make_record(w, p, rng, force_blank_date=blank)
    for p in hidden:
        p.info = truth_info(p)

    # the list
    n_pos = round(args.list * args.on_registry_share)
    n_neg = args.list - n_pos
    pool_pos = [p for p in reg if p.country == lc]
    if len(pool_pos) < n_pos:
        pool_pos = list(reg)
    pos = rng.sample(pool_pos, n_pos)
    rel_pool = [q for q in hidden if q.rel is not None and q.country == lc]
    # relatives are listed --relative-boost times as often as a registry person is
    rate = n_pos / max(1, sum(1 for p in reg if p.country == lc))
    n_hard = min(len(rel_pool), n_neg, round(len(rel_pool) * min(1.0, rate * args.relative_boost)))
    neg = rng.sample(rel_pool, n_hard)
    strangers = [q for q in hidden if q.rel is None and q.country == lc]
    neg += rng.sample(strangers, min(len(strangers), n_neg - n_hard))
    rows = [(p, True) for p in pos] + [(q, False) for q in neg]
    rng.shuffle(rows)

    st = Style(rng)
    if args.names_only:
        # A list of bare names, as some governments publish them.
        st.p_year = st.p_prov = 0.0
    # classify strangers: does their name occur on the registry?
    full_names = {}
    short_names, namesakes = set(), set()
    for p in reg:
        gk = tuple(gkeys(p.given))
        namesakes.add((gk, skey(p.s1)))
        full_names.setdefault((gk, skey(p.s1), skey(p.s2) if p.s2 else ""), p)
        short_names.add((gk[0] if gk else "", skey(p.s1)))

    # index of everyone for the singled_out rule
    index, index_g = {}, {}
    for p in reg + hidden:
        gks = {k for k, _ in p.info.g}
        for k in index_keys(p.info):
            index.setdefault(k, []).append(p.info)
            for g in gks:
                index_g.setdefault((k, g), []).append(p.info)
            if p.info.partial:  # a cut record can fit through an initial: keep it in view
                index_g.setdefault((k, None), []).append(p.info)

    def candidates(ev):
        """Everyone who could be compatible: shares a written surname and, when a
        given name is written in full, one of those given names."""
        sks, gks = set(), set()
        for e in ev["s"]:
            sks |= lookup_keys(e) or set()
        for t, v in ev["g"]:
            if t == "K":
                gks |= v
        out = {}
        for k in sorted(sks):
            if gks:
                for g in sorted(gks) + [None]:
                    for q in index_g.get((k, g), ()):
                        out[q.p.idx] = q
            else:
                for q in index.get(k, ()):
                    out[q.p.idx] = q
        return out

    list_rows, truth, ref_rows = [], [], []
    if args.oracle:
        freq = Frequencies([p.info for p in reg])
    for i, (p, is_pos) in enumerate(rows, 1):
        row, ev = write_row(w, p, rng, st)
        row["row_id"] = str(i)
        list_rows.append(row)
        if args.oracle:
            fit = [q for q in candidates(ev).values() if q.p.on_reg and compatible(ev, q)]
            ref_rows.append([freq.expected(ev, fit[0]) if len(fit) == 1 else None,
                             len(fit) == 1 and fit[0].p is p, False])
        if is_pos:
            cands = candidates(ev)
            single = "yes"
            for qi in sorted(cands):
                q = cands[qi]
                if q.p is not p and compatible(ev, q):
                    single = "no"
                    break
            kind = "pos_" + p.tags[0] if p.tags else "pos"
            if args.oracle:
                ref_rows[-1][2] = single == "yes"
            truth.append({"row_id": str(i), "person_id": p.rid, "kind": kind, "singled_out": single})
        else:
            kind = p.neg_kind
            if kind is None:
                gk = tuple(gkeys(p.given))
                if (gk, skey(p.s1), skey(p.s2) if p.s2 else "") in full_names:
                    kind = "neg_same_name"
                elif (gk, skey(p.s1)) in namesakes:
                    kind = "neg_namesake"
                elif (gk[0] if gk else "", skey(p.s1)) in short_names:
                    kind = "neg_common"
                else:
                    kind = "neg_stranger"
            truth.append({"row_id": str(i), "person_id": "", "kind": kind, "singled_out": ""})

    os.makedirs(args.out_dir, exist_ok=True)
    cols = ["id", "given_names", "surname1", "surname2", "birth_date", "sex", "nationality",
            "country", "province", "private_notes", "family_contact", "publish"]
    with open(os.path.join(args.out_dir, "registry.csv"), "w", newline="", encoding="utf-8") as f:
        wr = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        wr.writeheader()
        for p in order:
            wr.writerow(p.rec)
    with open(os.path.join(args.out_dir, "list.csv"), "w", newline="", encoding="utf-8") as f:
        wr = csv.DictWriter(f, fieldnames=["row_id", "full_name", "birth_year", "province"],
                            lineterminator="\n")
        wr.writeheader()
        wr.writerows(list_rows)
    with open(os.path.join(args.out_dir, "truth.csv"), "w", newline="", encoding="utf-8") as f:
        wr = csv.DictWriter(f, fieldnames=["row_id", "person_id", "kind", "singled_out"],
                            lineterminator="\n")
        wr.writeheader()
        wr.writerows(truth)
    if args.oracle:
        ref = reference(ref_rows, n_pos)
        with open(os.path.join(args.out_dir, "reference_rows.csv"), "w", newline="",
                  encoding="utf-8") as f:
            wr = csv.writer(f, lineterminator="\n")
            wr.writerow(["row_id", "expected", "right"])
            for i, (e, ok, _) in enumerate(ref_rows, 1):
                wr.writerow([i, "" if e is None else "%.6g" % e, "yes" if ok else "no"])
        with open(os.path.join(args.out_dir, "reference.json"), "w", encoding="utf-8") as f:
            json.dump(ref, f, indent=1)
        print("reference: %s" % json.dumps(ref), file=sys.stderr)
    if not args.quiet:
        so = sum(1 for t in truth if t["singled_out"] == "yes")
        sur = {p.s1 for p in reg} | {p.s2 for p in reg if p.s2}
        print("country %s: registry %d (%d distinct surnames), hidden %d, list %d "
              "(%d on registry, %d singled out), %.1fs"
              % (lc, len(reg), len(sur), len(hidden), len(rows), n_pos, so, time.time() - t0),
              file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--registry", type=int, default=20000)
    ap.add_argument("--list", type=int, default=3000)
    ap.add_argument("--on-registry-share", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--country", choices=COUNTRIES,
                    help="the list's country (default: CU, VE, NI for seeds 1, 2, 3, ...)")
    ap.add_argument("--hidden", type=int, help="hidden population (default 2 x registry)")
    ap.add_argument("--relatives", type=float, default=0.08,
                    help="share of registry persons with a relative in the hidden population")
    ap.add_argument("--relative-boost", type=float, default=1.0,
                    help="how many times more often than a registry person such a relative is listed")
    ap.add_argument("--names-only", action="store_true",
                    help="the list gives neither birth years nor provinces, only names")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--oracle", action="store_true",
                    help="also report a registry-only oracle (a ceiling check, to stderr)")
    args = ap.parse_args()
    if args.hidden is None:
        args.hidden = 2 * args.registry
    generate(args)


if __name__ == "__main__":
    main()
