"""The evidence engine: pack rules + a citizen's situation -> ranked suggestions.

Pure and deterministic. ``facts`` reduces the situation (meetings, plan, assignments,
target group, age band, education, the meeting's date) to the handful of facts the rule
language can test; ``suggest`` evaluates every rule valid on that date, removes what an
exclusion forbids or what does not fit the citizen's target group, turns what is
already open in the plan into "keep going", keeps one suggestion per kind, joins what
the evidence says runs in parallel into one suggestion (a company-based lead with its
parallel parts), hangs each caution beside the suggestions it qualifies, and ranks.

Ranking: strength (strong, moderate, frame, caution; a combination counts its strongest
part), then new before "keep going", then how many of the addressed job-linked
indicators are low or declining now, then rule order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from bip_talk.domain.caseworker_change import caseworker_changes
from bip_talk.domain.change import MISSING, meeting_scores
from bip_talk.domain.dates import parse_day
from bip_talk.domain.entities import Assignment, PlanItem
from bip_talk.domain.evidence_model import (
    STRENGTHS,
    EvidenceBase,
    Predicate,
    Rule,
)
from bip_talk.domain.meeting_history import MeetingAnswers
from bip_talk.domain.pack import Pack, Text

# Plan statuses meaning the intervention actually ran (for "time without activity").
RAN = ("open", "done", "partly")
# strength, "keep going" after new, minus the pressing indicators addressed, rule order
RankKey = tuple[int, bool, int, int]


@dataclass(frozen=True, slots=True)
class Situation:
    history: Sequence[MeetingAnswers]  # oldest first, the current meeting last
    today: date  # the meeting's date: rules and interventions are read as of this day
    plan: Sequence[PlanItem] = ()
    assignments: Sequence[Assignment] = ()
    target_group: str | None = None
    age_band: str | None = None
    education: str | None = None  # an evidence.toml education level id
    # The unfinished meeting the situation is read at, if any: what it agreed has not
    # begun yet (it is "agreed today", not "already running").
    current_meeting: int | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules can see. ``scores``: known values per (indicator, perspective),
    oldest first; ``active``: intervention kinds under way on the day (``running_on``)."""

    scores: dict[tuple[str, str], tuple[float, ...]]
    active: frozenset[str]
    open_items: dict[str, PlanItem]  # kind -> the earliest open plan item of that kind
    days_without_activity: int | None
    days_since_caseworker_change: int | None
    channels: tuple[str, ...] | None  # latest channel answer; None = never answered
    not_searching: bool
    doing_well: bool = False
    target_group: str | None = None  # None also when the group is not valid on the day
    agreed_now: frozenset[int] = frozenset()  # open plan items the current meeting agreed

    def latest(self, indicator: str, perspective: str) -> float | None:
        values = self.scores.get((indicator, perspective), ())
        return values[-1] if values else None

    def fell(self, indicator: str, perspective: str) -> float | None:
        values = self.scores.get((indicator, perspective), ())
        return values[-2] - values[-1] if len(values) >= 2 else None


@dataclass(frozen=True, slots=True)
class Caution:
    """A caution that applies to a suggestion: the caution rule, and the words to show
    beside the suggestion (fit for the shared screen; the full caution stays private)."""

    rule_id: str
    kind: str
    beside: Text | None


@dataclass(frozen=True, slots=True)
class Suggestion:
    rule_id: str
    kind: str  # an intervention or action id from evidence.toml
    is_intervention: bool
    title: Text  # the kind's own name (a combination's heading is the presenter's)
    reason: Text  # the caseworker's words (evidence, figures)
    strength: str
    addresses: tuple[str, ...]
    sources: tuple[str, ...]  # source ids from evidence.toml
    evidence: str  # confirmed | slides_only | inferred
    caveat: Text | None
    audience: str  # shared | private
    open_item: int | None = None  # id of the open plan item of this kind, if any
    agreed_now: bool = False  # that open item was agreed at this very meeting
    also: tuple[str, ...] = field(default=())  # other rules that suggested the same kind
    # Run at the same time as this one, each its own plan item (the lead is this one).
    parts: tuple[Suggestion, ...] = ()
    # Company-based kinds already running that this one is meant to run alongside.
    with_running: tuple[str, ...] = ()
    cautions: tuple[Caution, ...] = ()
    alongside: str | None = None  # the rule's partner (kind or category), if any
    said: Text | None = None  # the reason in the citizen's words (shared suggestions)

    @property
    def private(self) -> bool:
        return self.audience == "private"

    @property
    def keep_going(self) -> int | None:
        """The open plan item this would repeat; a combination repeats only when every
        part is already open too."""
        if self.open_item is None or any(p.open_item is None for p in self.parts):
            return None
        return self.open_item

    @property
    def combined_with(self) -> tuple[str, ...]:
        """Kinds run in parallel with this one: its parts, then what already runs."""
        return (*(p.kind for p in self.parts), *self.with_running)

    @property
    def rules(self) -> tuple[str, ...]:
        out = [self.rule_id, *self.also]
        for p in self.parts:
            out += [r for r in p.rules if r not in out]
        return tuple(out)

    @property
    def all_sources(self) -> tuple[str, ...]:
        out = list(self.sources)
        for p in self.parts:
            out += [s for s in p.sources if s not in out]
        return tuple(out)

    @property
    def all_addresses(self) -> tuple[str, ...]:
        out = list(self.addresses)
        for p in self.parts:
            out += [a for a in p.addresses if a not in out]
        return tuple(out)

    @property
    def elements(self) -> tuple[Suggestion, ...]:
        """This suggestion and its parts: one plan item each when accepted."""
        return (replace(self, parts=()), *self.parts)


@dataclass(frozen=True, slots=True)
class Exclusion:
    kind: str
    rule_id: str | None  # None: the intervention is not meant for the citizen's group
    reason: Text | None


# -- facts -----------------------------------------------------------------------------


def _is_activity(evidence: EvidenceBase, kind: str) -> bool:
    intervention = evidence.intervention(kind)
    return intervention is not None and intervention.activity


def _started(item: PlanItem, today: date) -> bool:
    start = parse_day(item.starts_on) or parse_day(item.created_at)
    end = parse_day(item.ends_on)
    return (start is None or start <= today) and (end is None or end >= today)


def running_on(item: PlanItem, today: date, held: dict[int, date]) -> bool:
    """The item is under way on the day: open and between its start and end, or
    reviewed as "still running" (open with ``reviewed_in``) at a meeting held by then.
    The review is the caseworker's word and beats the planned end date (a placement is
    often extended); it holds until a later review closes the item."""
    if item.status != "open":
        return False
    if item.reviewed_in is not None:
        reviewed = held.get(item.reviewed_in)
        if reviewed is not None and reviewed <= today:
            return True
    return _started(item, today)


def _days_without_activity(
    evidence: EvidenceBase, s: Situation, active: frozenset[str], held: dict[int, date]
) -> int | None:
    if active:
        return 0
    ends: list[date] = []
    for item in s.plan:
        if item.status not in RAN or not _is_activity(evidence, item.kind):
            continue
        end = parse_day(item.ends_on) or held.get(item.reviewed_in or -1)
        if item.status != "open" and end is None:
            end = parse_day(item.due_on)
        if end is not None and end <= s.today:
            ends.append(end)
    starts = [d for d in (*held.values(), *(parse_day(a.started_at) for a in s.assignments)) if d]
    known = ends or ([min(starts)] if starts else [])
    if not known:
        return None
    return max(0, (s.today - max(known)).days)


def _activities_agreed(
    evidence: EvidenceBase, s: Situation, agreed_now: frozenset[int]
) -> frozenset[str]:
    return frozenset(
        i.kind for i in s.plan if i.id in agreed_now and _is_activity(evidence, i.kind)
    )


def _days_since_caseworker_change(s: Situation) -> int | None:
    """Days since the most recent change of caseworker (domain.caseworker_change: a new
    assignment, not a meeting held by a stand-in)."""
    changes = caseworker_changes(s.assignments, s.history, until=s.today)
    if not changes:
        return None
    return max(0, (s.today - changes[-1].on).days)


def _doing_well(
    pack: Pack, evidence: EvidenceBase, scores: dict[tuple[str, str], tuple[float, ...]]
) -> bool:
    """Something is known on a job-linked indicator, and nothing job-linked is low or
    fell since the meeting before, on any side."""
    known = False
    for ind in pack.indicators:
        if not ind.job_linked:
            continue
        for pid in pack.indicator_perspectives(ind.id):
            values = scores.get((ind.id, pid), ())
            if not values:
                continue
            known = True
            if values[-1] <= evidence.low_at_most:
                return False
            if len(values) >= 2 and values[-2] - values[-1] >= pack.thresholds.moved:
                return False
    return known


def _valid_group(pack: Pack, s: Situation) -> str | None:
    group = next((g for g in pack.manifest.target_groups if g.id == s.target_group), None)
    if group is None:
        return s.target_group  # a group the pack does not know: left to the rules as is
    return group.id if group.valid_on(s.today) else None


def facts(pack: Pack, evidence: EvidenceBase, s: Situation) -> Facts:
    history = sorted(s.history, key=lambda m: (m.held_on, m.meeting_id))
    scored = [meeting_scores(pack, m) for m in history]
    scores: dict[tuple[str, str], tuple[float, ...]] = {}
    for ind in pack.indicators:
        for pid in pack.indicator_perspectives(ind.id):
            values = (s.get((pid, ind.id), MISSING).value for s in scored)
            scores[(ind.id, pid)] = tuple(v for v in values if v is not None)

    open_items: dict[str, PlanItem] = {}
    for item in sorted(s.plan, key=lambda i: (i.created_at, i.id)):
        if item.status == "open":
            open_items.setdefault(item.kind, item)
    held = {m.meeting_id: d for m in history if (d := parse_day(m.held_on))}
    # Agreed at this meeting: open, but not under way yet ("you are in a placement"
    # would be said a minute after the placement was agreed).
    agreed_now = frozenset(
        i.id
        for i in s.plan
        if s.current_meeting is not None
        and i.meeting_id == s.current_meeting
        and i.status == "open"
    )
    active = frozenset(
        i.kind
        for i in s.plan
        if i.id not in agreed_now
        and _is_activity(evidence, i.kind)
        and running_on(i, s.today, held)
    )

    channels: tuple[str, ...] | None = None
    not_searching = False
    search = evidence.search
    if search is not None:
        # The latest meeting that says anything about searching decides.
        for m in history:
            said: list[bool] = []
            answer = m.get(search.perspective, search.item)
            if answer is not None and answer.choices and not answer.declined:
                channels = answer.choices
                said.append(any(c in search.not_searching for c in channels))
            scale = m.get(search.perspective, search.scale_item) if search.scale_item else None
            if scale is not None and scale.value is not None:
                said.append(scale.value <= search.not_searching_at_most)
            if said:
                not_searching = any(said)

    return Facts(
        scores=scores,
        active=active,
        open_items=open_items,
        # An activity agreed today answers "nothing has happened for months".
        days_without_activity=_days_without_activity(
            evidence, s, active | _activities_agreed(evidence, s, agreed_now), held
        ),
        days_since_caseworker_change=_days_since_caseworker_change(s),
        channels=channels,
        not_searching=not_searching,
        doing_well=_doing_well(pack, evidence, scores),
        target_group=_valid_group(pack, s),
        agreed_now=agreed_now,
    )


# -- conditions ------------------------------------------------------------------------


def _indicator_holds(pack: Pack, p: Predicate, f: Facts) -> bool:
    assert p.indicator is not None
    if p.perspective in ("any", "all"):
        perspectives = pack.indicator_perspectives(p.indicator)
    else:
        perspectives = [p.perspective]
    results: list[bool] = []
    for pid in perspectives:
        latest = f.latest(p.indicator, pid)
        if latest is None:
            continue
        if p.at_most is not None:
            results.append(latest <= p.at_most)
        elif p.at_least is not None:
            results.append(latest >= p.at_least)
        else:
            fell = f.fell(p.indicator, pid)
            if fell is None:
                continue
            if p.fell_by_at_least is not None:
                results.append(fell >= p.fell_by_at_least)
            elif p.rose_by_at_least is not None:
                results.append(-fell >= p.rose_by_at_least)
    if not results:
        return False
    return all(results) if p.perspective == "all" else any(results)


def holds(pack: Pack, evidence: EvidenceBase, s: Situation, f: Facts, p: Predicate) -> bool:
    test = p.test
    if test == "indicator":
        return _indicator_holds(pack, p, f)
    if test == "active":
        return any(evidence.matches(k, p.active or "") for k in f.active)
    if test == "no_active":
        return not any(evidence.matches(k, p.no_active or "") for k in f.active)
    if test == "days_without_activity_at_least":
        days = f.days_without_activity
        return days is not None and days >= (p.days_without_activity_at_least or 0)
    if test == "caseworker_changed_within_days":
        days = f.days_since_caseworker_change
        return days is not None and days <= (p.caseworker_changed_within_days or 0)
    if test == "not_searching":
        return f.not_searching
    if test == "doing_well":
        return f.doing_well
    search = evidence.search
    if test == "channels_only_weak":
        if search is None or f.channels is None or f.not_searching:
            return False
        chosen = [c for c in f.channels if c not in search.no_answer]
        return bool(chosen) and not any(c in search.strong for c in chosen)
    if test == "channel_unused":
        if search is None or f.channels is None:
            return False
        if any(c in search.no_answer for c in f.channels):
            return False
        return p.channel_unused not in f.channels
    if test == "target_group":
        return f.target_group is not None and f.target_group in (p.target_group or [])
    if test == "age_band":
        return s.age_band is not None and s.age_band in (p.age_band or [])
    if test == "education":
        return s.education is not None and s.education in (p.education or [])
    if test == "education_qualifying":
        level = evidence.education_level(s.education)
        return level is not None and level.qualifying == p.education_qualifying
    raise AssertionError(test)  # the model allows no other test


def fires(pack: Pack, evidence: EvidenceBase, s: Situation, f: Facts, rule: Rule) -> bool:
    """The rule is valid on the meeting's date and its condition holds."""

    def ok(p: Predicate) -> bool:
        return holds(pack, evidence, s, f, p)

    return (
        rule.valid_on(s.today)
        and all(ok(p) for p in rule.when)
        and (not rule.when_any or any(ok(p) for p in rule.when_any))
        and not any(ok(p) for p in rule.unless)
    )


# -- exclusions and fit ----------------------------------------------------------------


def exclusions(
    pack: Pack, evidence: EvidenceBase, s: Situation, f: Facts | None = None
) -> list[Exclusion]:
    """Interventions that must not be suggested for this citizen, with the reason."""
    f = f or facts(pack, evidence, s)
    out: list[Exclusion] = []
    seen: set[str] = set()
    for rule in evidence.rules:
        if rule.exclude is None or not fires(pack, evidence, s, f, rule):
            continue
        for i in evidence.interventions:
            if evidence.matches(i.id, rule.exclude) and i.id not in seen:
                out.append(Exclusion(i.id, rule.id, rule.reason))
                seen.add(i.id)
    groups = {g.id for g in pack.manifest.target_groups if g.valid_on(s.today)}
    for i in evidence.interventions:
        if i.id in seen or not i.target_groups:
            continue
        restricted = bool(groups - set(i.target_groups))
        if f.target_group is not None:
            fits = f.target_group in i.target_groups
        else:
            fits = not restricted  # unknown group: only what fits every group
        if not fits:
            out.append(Exclusion(i.id, None, None))
            seen.add(i.id)
    return out


# -- ranking ---------------------------------------------------------------------------


def _pressing(pack: Pack, evidence: EvidenceBase, f: Facts, indicator: str) -> bool:
    """Job-linked and low or declining now, on any perspective."""
    if not any(i.id == indicator and i.job_linked for i in pack.indicators):
        return False
    for pid in pack.indicator_perspectives(indicator):
        latest = f.latest(indicator, pid)
        fell = f.fell(indicator, pid)
        if latest is not None and latest <= evidence.low_at_most:
            return True
        if fell is not None and fell >= pack.thresholds.moved:
            return True
    return False


def _available(evidence: EvidenceBase, kind: str, day: date) -> bool:
    """An intervention that exists on the day (actions always do)."""
    intervention = evidence.intervention(kind)
    return intervention is None or intervention.valid_on(day)


def _suggestion(
    evidence: EvidenceBase, rule: Rule, kind: str, f: Facts, strength: str
) -> Suggestion:
    title = evidence.name(kind)
    assert title is not None  # checked when loaded
    open_item = f.open_items.get(kind)
    intervention = evidence.intervention(kind)
    addresses = rule.addresses or (intervention.addresses if intervention else [])
    return Suggestion(
        rule_id=rule.id,
        kind=kind,
        is_intervention=intervention is not None,
        title=title,
        reason=rule.reason,
        said=rule.said,
        strength=strength,
        addresses=tuple(addresses),
        sources=tuple(rule.sources),
        evidence=rule.evidence,
        caveat=rule.caveat,
        audience=rule.audience,
        open_item=open_item.id if open_item else None,
        agreed_now=open_item is not None and open_item.id in f.agreed_now,
        alongside=rule.alongside,
    )


def _fired(
    pack: Pack, evidence: EvidenceBase, s: Situation, f: Facts, excluded: set[str]
) -> list[tuple[int, Suggestion]]:
    """Every suggestion a valid rule gives, with the rule's position in the file."""
    out: list[tuple[int, Suggestion]] = []
    for order, rule in enumerate(evidence.rules):
        if rule.exclude is not None or not fires(pack, evidence, s, f, rule):
            continue
        assert rule.strength is not None  # checked when loaded
        if rule.keep is not None:
            kinds = sorted(k for k in f.active if evidence.matches(k, rule.keep))
        else:
            kinds = [rule.suggest or ""]
        for kind in kinds:
            if kind in excluded or not _available(evidence, kind, s.today):
                continue
            out.append((order, _suggestion(evidence, rule, kind, f, rule.strength)))
    return out


def _one_per_kind(
    fired: list[tuple[int, Suggestion]], key: Callable[[int, Suggestion], RankKey]
) -> list[tuple[int, Suggestion]]:
    """The best-ranked rule per kind and audience; the others are listed in ``also``.
    A private rule never hides a shared one of the same kind (its reason may not be
    shown to the citizen), so the audience is part of the key."""
    ordered = sorted(fired, key=lambda pair: key(*pair))
    out: list[tuple[int, Suggestion]] = []
    seen: dict[tuple[str, str], int] = {}
    for order, s in ordered:
        slot = (s.kind, s.audience)
        if slot in seen:
            n = seen[slot]
            first_order, first = out[n]
            # "In parallel" holds whichever rule says it (a running upskilling kept
            # going is still offered alongside a new placement, not before it).
            alongside = first.alongside or s.alongside
            out[n] = (
                first_order,
                replace(first, also=(*first.also, s.rule_id), alongside=alongside),
            )
            continue
        seen[slot] = len(out)
        out.append((order, s))
    return out


def _combine(
    evidence: EvidenceBase, f: Facts, found: list[tuple[int, Suggestion]]
) -> list[tuple[int, Suggestion]]:
    """What the evidence says runs in parallel: beside something already running it
    stands alone (noting what it runs with); otherwise it joins the best-placed shared
    suggestion of its partner kind as one suggestion, never a step before it."""
    out = list(found)
    for order, s in found:
        if s.alongside is None or s.private:
            continue
        running = tuple(sorted(k for k in f.active if evidence.matches(k, s.alongside)))
        at = next((n for n, (_, x) in enumerate(out) if x is s), None)
        if at is None:
            continue
        if running:
            out[at] = (order, replace(s, with_running=running))
            continue
        leads = [
            n
            for n, (_, x) in enumerate(out)
            if x is not s
            and not x.private
            and x.alongside is None
            and evidence.matches(x.kind, s.alongside)
        ]
        if not leads:
            continue
        lead_at = min(leads, key=lambda n: (STRENGTHS.index(out[n][1].strength), out[n][0]))
        lead_order, lead = out[lead_at]
        joined = replace(
            lead,
            parts=(*lead.parts, s),
            strength=STRENGTHS[min(STRENGTHS.index(lead.strength), STRENGTHS.index(s.strength))],
        )
        out[lead_at] = (min(lead_order, order), joined)
        out.pop(at)
    return out


def _qualified(evidence: EvidenceBase, s: Suggestion, targets: list[str]) -> bool:
    return any(evidence.matches(e.kind, t) for e in s.elements for t in targets)


def _with_cautions(
    evidence: EvidenceBase, found: list[tuple[int, Suggestion]]
) -> list[tuple[int, Suggestion]]:
    """Each caution that applies is hung beside every suggestion it qualifies."""
    cautions = [
        (s, rule)
        for _, s in found
        if (rule := evidence.rule(s.rule_id)) is not None and rule.qualifies
    ]
    out = []
    for order, s in found:
        attached = tuple(
            Caution(c.rule_id, c.kind, rule.beside)
            for c, rule in cautions
            if c is not s and _qualified(evidence, s, rule.qualifies)
        )
        out.append((order, replace(s, cautions=attached) if attached else s))
    return out


def rank_key(pack: Pack, evidence: EvidenceBase, f: Facts, order: int, s: Suggestion) -> RankKey:
    weight = sum(_pressing(pack, evidence, f, ind) for ind in s.all_addresses)
    return (STRENGTHS.index(s.strength), s.keep_going is not None, -weight, order)


def suggest(pack: Pack, evidence: EvidenceBase, situation: Situation) -> list[Suggestion]:
    f = facts(pack, evidence, situation)
    excluded = {e.kind for e in exclusions(pack, evidence, situation, f)}

    def key(order: int, s: Suggestion) -> RankKey:
        return rank_key(pack, evidence, f, order, s)

    found = _one_per_kind(_fired(pack, evidence, situation, f, excluded), key)
    found = _with_cautions(evidence, _combine(evidence, f, found))
    found.sort(key=lambda pair: key(*pair))
    return [s for _, s in found]


def shared_only(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """What may be shown on the citizen's screen."""
    return [s for s in suggestions if not s.private]


def for_caseworker(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """The caseworker's private view: cautions first (they qualify what follows), then
    the other private notes, each group in rank order."""
    private = [s for s in suggestions if s.private]
    return sorted(private, key=lambda s: s.strength != "caution")
