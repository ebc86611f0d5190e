"""One synthetic municipality described in the project's vocabulary (docs/decisions/0001).

`describe()` yields its resources: the municipality, an e-government period and three
stages with OWL-Time intervals, the transitions between them, policies, initiatives,
pentahelix actors with their memberships, factor influences, award conferrals and the
synthetic case study every claim is derived from. All choices come from one seeded
random generator, so a city depends only on the seed and its number.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass

from bench.names import slug
from bench.rdfout import Resource, literal
from bench.wordlists import (
    ACT_TOPICS,
    ACT_TYPES,
    ACTIVITIES,
    AWARD_CATEGORIES,
    DIMENSIONS,
    FACTORS,
    GOVERNMENT_UNITS,
    INITIATIVES,
    OTHER_ACTORS,
    PLAN_TYPES,
    SOURCE_PARTS,
    STAGE_KINDS,
)

OBSERVED_UNTIL = 2023
YEARS = range(2000, 2046)  # the shared year instants, id/instant/<year>
GYEAR = "xsd:gYear"


@dataclass(frozen=True)
class Municipality:
    """A kota (`is_kota`) or kabupaten with its base name and its province's slug."""

    name: str
    is_kota: bool
    province: str

    @property
    def slug(self) -> str:
        return slug(self.name) if self.is_kota else slug("Kabupaten " + self.name)

    @property
    def name_id(self) -> str:
        return ("Kota " if self.is_kota else "Kabupaten ") + self.name

    @property
    def name_en(self) -> str:
        return self.name + (" City" if self.is_kota else " Regency")


def labels(en: str, id_: str) -> list[tuple[str, str]]:
    """`rdfs:label` in English and Indonesian."""
    return [("rdfs:label", literal(en, "en")), ("rdfs:label", literal(id_, "id"))]


def year(value: int) -> str:
    return literal(str(value), datatype=GYEAR)


def shared_resources(provinces: list[str]) -> Iterator[Resource]:
    """What every city refers to: the provinces, the award and the year instants."""
    for name in provinces:
        yield (
            f"province:{slug(name)}",
            [
                ("a", "sck:Province"),
                *labels(f"{name} Province", f"Provinsi {name}"),
                ("sck:officialName", literal(f"Provinsi {name}", "id")),
            ],
        )
    yield (
        "award:isna",
        [
            ("a", "sck:Award"),
            *labels("Indonesia Smart Nation Award (ISNA)", "Indonesia Smart Nation Award (ISNA)"),
        ],
    )
    for value in YEARS:
        yield (
            f"instant:{value}",
            [
                ("a", "time:Instant"),
                ("time:inXSDgYear", year(value)),
                *labels(str(value), str(value)),
            ],
        )


def describe(city: Municipality, rng: random.Random) -> Iterator[Resource]:
    """Every resource of `city`, choices drawn from `rng`."""
    c = city.slug
    part = {suffix: f"source-part:{c}-case-study-{suffix}" for suffix, _ in SOURCE_PARTS}
    yield from _municipality_and_source(city, part)

    begins = [rng.randint(2005, 2013)]
    begins.append(rng.randint(max(begins[0] + 1, 2014), 2018))
    begins.append(begins[1] + rng.choice([1, 1, 2]))
    begins.append(begins[2] + rng.choice([1, 1, 2]))
    stages = [f"stage:{c}-{kind}" for kind, *_ in STAGE_KINDS]
    yield from _stages(city, stages, begins, part["c-1"])

    government = f"orgid:{c}-pemerintah-daerah"
    operators = [f"orgid:{c}-{unit}" for unit, *_ in GOVERNMENT_UNITS[:2]]  # always present
    yield from _actors(city, rng, government, part["c-1"])
    enablers = {stage: [] for stage in stages}
    yield from _policies(city, rng, stages, begins, government, enablers, part["c-1"])
    yield from _initiatives(city, rng, stages, operators, enablers, part["c-1"])
    yield from _transitions(city, rng, stages, begins, enablers, part["c-2"])
    yield from _factors(city, rng, [part["c-3"], part["tabel-3"]])
    yield from _conferrals(city, rng, part["gambar-2"])


def _municipality_and_source(city: Municipality, part: dict[str, str]) -> Iterator[Resource]:
    c = city.slug
    yield (
        f"city:{c}",
        [
            ("a", "sck:City" if city.is_kota else "sck:Regency"),
            *labels(city.name_en, city.name_id),
            ("sck:officialName", literal(city.name_id, "id")),
            ("sck:inProvince", f"province:{slug(city.province)}"),
        ],
    )
    source = f"source:{c}-case-study"
    yield (
        source,
        [
            ("a", "sck:DocumentSource"),
            *labels(
                f"Synthetic case study of {city.name_en}", f"Studi kasus sintetis {city.name_id}"
            ),
            ("dcterms:title", literal(f"Perkembangan Smart City {city.name_id}", "id")),
            ("dcterms:issued", year(OBSERVED_UNTIL)),
        ],
    )
    for suffix, locator in SOURCE_PARTS:
        yield (
            part[suffix],
            [
                ("a", "sck:SourcePart"),
                ("dcterms:isPartOf", source),
                ("sck:locator", literal(locator)),
                *labels(
                    f"Case study of {city.name_en}, {locator}",
                    f"Studi kasus {city.name_id}, {locator}",
                ),
            ],
        )


def _period(begin: int, end: int | None) -> str:
    return f"{begin}-{end}" if end is not None else f"{begin}-ongoing"


def _interval(subject: str, begin: int, end: int | None, en: str, id_: str) -> Resource:
    pairs = [("a", "time:ProperInterval"), ("time:hasBeginning", f"instant:{begin}")]
    if end is not None:
        pairs.append(("time:hasEnd", f"instant:{end}"))
    return subject, pairs + labels(f"Time span of {en[0].lower()}{en[1:]}", f"Rentang waktu {id_}")


def _stages(city, stages, begins, evidence) -> Iterator[Resource]:
    for index, (kind, cls, name_id, name_en) in enumerate(STAGE_KINDS):
        stage = stages[index]
        end = begins[index + 1] if index + 1 < len(begins) else None
        span = _period(begins[index], end)
        en = f"{name_en} of {city.name_en} ({span})"
        id_ = f"{name_id} {city.name_id} ({span.replace('ongoing', 'sekarang')})"
        interval = stage.replace("stage:", "interval:", 1)
        pairs = [
            ("a", cls),
            ("sck:stageKind", f"stage-kind:{kind}"),
            ("sck:stageOf", f"city:{city.slug}"),
            ("time:hasTime", interval),
            *labels(en, id_),
            ("prov:wasDerivedFrom", evidence),
        ]
        if end is None:
            pairs += [
                ("sck:ongoing", literal("true", datatype="xsd:boolean")),
                ("sck:observedUntil", year(OBSERVED_UNTIL)),
            ]
        else:
            pairs.append(("sck:nextStage", stages[index + 1]))
        yield stage, pairs
        yield _interval(interval, begins[index], end, en, id_)


def _actors(city, rng, government, evidence) -> Iterator[Resource]:
    c, n = city.slug, city.name
    forum = f"orgid:{c}-forum-pentahelix"
    yield (
        forum,
        [
            ("a", "org:OrganizationalCollaboration"),
            *labels(f"Pentahelix forum of {city.name_en}", f"Forum Pentaheliks {city.name_id}"),
            ("sck:actorOf", f"city:{c}"),
            ("prov:wasDerivedFrom", evidence),
        ],
    )
    # (suffix, sector, class, parent unit, English name, Indonesian name)
    actors = [
        (
            "pemerintah-daerah",
            "government",
            "org:FormalOrganization",
            None,
            f"Government of {city.name_en}",
            f"Pemerintah {city.name_id}",
        )
    ]
    for unit, name_id, name_en in GOVERNMENT_UNITS:
        actors.append(
            (
                unit,
                "government",
                "org:OrganizationalUnit",
                government,
                f"{name_en} of {city.name_en}",
                f"{name_id} {city.name_id}",
            )
        )
    for sector, cls, suffix, name_id, name_en in OTHER_ACTORS:
        actors.append((suffix, sector, cls, None, name_en.format(n=n), name_id.format(n=n)))
    # The government and its first two units always take part; the rest by chance.
    chosen = actors[:3] + rng.sample(actors[3:], rng.randint(5, 15) - 3)
    for suffix, sector, cls, parent, en, id_ in chosen:
        actor = f"orgid:{c}-{suffix}"
        pairs = [
            ("a", cls),
            *labels(en, id_),
            ("org:classification", f"pentahelix-sector:{sector}"),
        ]
        if parent:
            pairs.append(("org:unitOf", parent))
        yield actor, pairs + [("sck:actorOf", f"city:{c}"), ("prov:wasDerivedFrom", evidence)]
        yield (
            f"membership:{c}-forum-pentahelix-{suffix}",
            [
                ("a", "org:Membership"),
                ("org:member", actor),
                ("org:organization", forum),
                ("org:role", f"pentahelix-sector:{sector}"),
                *labels(f"{en} in the pentahelix forum", f"{id_} dalam forum pentaheliks"),
                ("prov:wasDerivedFrom", evidence),
            ],
        )


def _stage_at(begins: list[int], value: int) -> int:
    """Index of the stage running in year `value` (a stage holds its begin year)."""
    return max(i for i, begin in enumerate(begins) if begin <= value)


def _policies(city, rng, stages, begins, government, enablers, evidence) -> Iterator[Resource]:
    c, taken, made = city.slug, set(), 0
    count = rng.randint(5, 20)
    # The foundation of implementation and the masterplan are always there; more by chance,
    # drawn again where a draw repeats an act's number and year or a plan's period.
    fixed = [("perda", begins[3] + rng.randint(0, 1), True), ("masterplan", begins[2], False)]
    kinds = [t[0] for t in ACT_TYPES] + [t[0] for t in PLAN_TYPES]
    plans = {t[0]: t for t in PLAN_TYPES}
    while made < count:
        kind, issued, foundation = (
            fixed.pop(0)
            if fixed
            else (rng.choice(kinds), rng.randint(begins[1] - 1, OBSERVED_UNTIL), False)
        )
        if kind in plans:
            resource = _plan(city, plans[kind], issued, taken)
        else:
            resource = _legal_act(city, rng, kind, issued, government, taken)
        if resource is None:
            continue
        made += 1
        subject, pairs, extra = resource
        stage = stages[_stage_at(begins, issued)]
        pairs += [("sck:issuedInStage", stage), ("sck:policyOf", f"city:{c}")]
        if foundation:
            pairs.append(("sck:foundationOf", stages[3]))
        yield subject, pairs + [("prov:wasDerivedFrom", evidence)]
        yield from extra
        enablers[stage].append(subject)


def _legal_act(city, rng, kind, issued, government, taken):
    c = city.slug
    _, kota_word, kabupaten_word, en_word = next(t for t in ACT_TYPES if t[0] == kind)
    number = rng.randint(1, 250)
    subject = f"policy:{c}-{kind}-{number}-{issued}"
    if subject in taken:
        return None
    taken.add(subject)
    topic_id, topic_en = rng.choice(ACT_TOPICS)
    word = kota_word if city.is_kota else kabupaten_word
    title = f"{word} {city.name_id} Nomor {number} Tahun {issued} tentang {topic_id}"
    return (
        subject,
        [
            ("a", "sck:LegalAct"),
            ("eli:type_document", f"act-type:{kind}"),
            ("eli:number", literal(str(number))),
            ("dcterms:issued", year(issued)),
            ("sck:issuedBy", government),
            ("dcterms:spatial", f"city:{c}"),
            ("dcterms:title", literal(title, "id")),
            *labels(f"{en_word} No. {number}/{issued} of {city.name_en} on {topic_en}", title),
            ("eli:is_about", f"dimension:{rng.choice(DIMENSIONS)}"),
        ],
        [],
    )


def _plan(city, plan_type, begin, taken):
    kind, years, name_id, name_en = plan_type
    end = begin + years - 1
    span = f"{begin}-{end}" if years > 1 else str(begin)
    subject = f"plan:{city.slug}-{kind}-{span}"
    if subject in taken:
        return None
    taken.add(subject)
    interval = subject.replace("plan:", "interval:", 1)
    title = f"{name_id} {city.name_id} {span}"
    en = f"{name_en} of {city.name_en} {span}"
    pairs = [
        ("a", "sck:Plan"),
        ("sck:planType", f"plan-type:{kind}"),
        ("time:hasTime", interval),
        ("dcterms:issued", year(begin)),
        ("dcterms:title", literal(title, "id")),
        *labels(en, title),
    ]
    return subject, pairs, [_interval(interval, begin, end, en, title)]


def _initiatives(city, rng, stages, operators, enablers, evidence) -> Iterator[Resource]:
    n = city.name
    for cls, suffix, name_id, name_en in rng.sample(INITIATIVES, rng.randint(10, 30)):
        stage = rng.choices(stages, weights=[1, 3, 3, 3])[0]
        subject = f"programme:{city.slug}-{suffix}"
        dimensions = rng.sample(DIMENSIONS, rng.randint(1, 3))
        yield (
            subject,
            [
                ("a", cls),
                *labels(name_en.format(n=n), name_id.format(n=n)),
                *[("sck:dimension", f"dimension:{d}") for d in dimensions],
                ("sck:startedInStage", stage),
                ("sck:programmeOf", f"city:{city.slug}"),
                ("sck:operatedBy", rng.choice(operators)),
                ("prov:wasDerivedFrom", evidence),
            ],
        )
        enablers[stage].append(subject)


def _transitions(city, rng, stages, begins, enablers, evidence) -> Iterator[Resource]:
    c = city.slug
    activities = [f"activity:{c}-{suffix}" for suffix, *_ in ACTIVITIES]
    for subject, (_, name_id, name_en) in zip(activities, ACTIVITIES, strict=True):
        yield (
            subject,
            [
                ("a", "sck:Activity"),
                *labels(name_en.format(n=city.name_en), name_id.format(n=city.name_id)),
            ],
        )
    for index in range(3):
        source, target = STAGE_KINDS[index], STAGE_KINDS[index + 1]
        candidates = enablers[stages[index]] + enablers[stages[index + 1]]
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(1, 3)))
        chosen.append(activities[index])
        factors = rng.sample(list(FACTORS), rng.randint(1, 2))
        from_en, to_en = source[3].lower(), target[3].lower()
        from_id, to_id = source[2].lower(), target[2].lower()
        yield (
            f"transition:{c}-{source[0]}-{target[0]}",
            [
                ("a", "sck:StageTransition"),
                ("sck:fromStage", stages[index]),
                ("sck:toStage", stages[index + 1]),
                ("time:hasTime", f"instant:{begins[index + 1]}"),
                ("sck:transitionOf", f"city:{c}"),
                *[("sck:enabledBy", enabler) for enabler in chosen],
                *[("sck:drivenByFactor", f"factor:{f}") for f in factors],
                *labels(
                    f"{city.name_en}: from {from_en} to {to_en} ({begins[index + 1]})",
                    f"{city.name_id}: dari {from_id} ke {to_id} ({begins[index + 1]})",
                ),
                (
                    "rdfs:comment",
                    literal(
                        f"{city.name_en} moved from the {from_en} to the {to_en} in "
                        f"{begins[index + 1]}, enabled by {len(chosen)} named enablers.",
                        "en",
                    ),
                ),
                (
                    "rdfs:comment",
                    literal(
                        f"{city.name_id} berpindah dari {from_id} ke {to_id} pada "
                        f"{begins[index + 1]}, didukung oleh {len(chosen)} pemungkin.",
                        "id",
                    ),
                ),
                ("prov:wasDerivedFrom", evidence),
            ],
        )


def _factors(city, rng, evidence) -> Iterator[Resource]:
    dominant = set(rng.sample(list(FACTORS), rng.randint(1, 2)))
    for factor, (terms, name_en) in FACTORS.items():
        term = rng.choice(terms)
        pairs = [
            ("a", "sck:FactorInfluence"),
            ("sck:influencedMunicipality", f"city:{city.slug}"),
            ("sck:factor", f"factor:{factor}"),
            ("sck:termUsed", literal(term, "id")),
            ("sck:role", "factor-role:finding"),
            *labels(f"{name_en} in {city.name_en}", f"{term} di {city.name_id}"),
        ]
        if factor in dominant:
            pairs.append(("sck:dominant", literal("true", datatype="xsd:boolean")))
        yield (
            f"factor-influence:{city.slug}-{factor}",
            pairs + [("prov:wasDerivedFrom", e) for e in evidence],
        )


def _conferrals(city, rng, evidence) -> Iterator[Resource]:
    won = {
        (rng.randint(2017, 2022), rng.choice(AWARD_CATEGORIES)) for _ in range(rng.randint(1, 2))
    }
    for when, category in sorted(won):
        title = " ".join(word.capitalize() for word in category.split("-"))
        yield (
            f"conferral:isna-{when}-{category}-{city.slug}",
            [
                ("a", "sck:AwardConferral"),
                *labels(
                    f"ISNA {when} {title}: {city.name_en}", f"ISNA {when} {title}: {city.name_id}"
                ),
                ("sck:conferralOf", "award:isna"),
                ("sck:awardCategory", f"award-category:{category}"),
                ("sck:awardedTo", f"city:{city.slug}"),
                ("sck:awardYear", year(when)),
                ("prov:wasDerivedFrom", evidence),
            ],
        )
