"""The Danish words of the triage rules (DOMAIN.md, "Triage"): one line per rule for the UI,
the seed section each rule comes from, the refusal sentences and the warning texts.

Kept apart from the engine so the wording can change without touching the logic;
`ungehus_tui.domain.triage` re-exports `RULE_TEXT_DA` and `RULE_SEED`.
"""

from __future__ import annotations

# Seed sections (seed/ungeindsats-slagelse-2019.txt, "Principper for organisering ...").
RULE_SEED: dict[str, str] = {
    "AGE-MIN": "org. d",
    "AGE-MAX": "org. d",
    "R1": "org. a, org. f",
    "R2": "org. e",
    "R3": "org. a, org. e",
    "R4": "org. a, org. f",
    "R5": "org. a, org. f",
    "R6": "org. e",
    "R7": "org. d",
    "R8": "org. a",
    "T1": "org. b, org. f",
    "L1": "org. f",
}

RULE_TEXT_DA: dict[str, str] = {
    "AGE-MIN": "Under 15 år: ikke Ungehusets målgruppe; henvis til skolens uddannelsesvejleder "
    "(Center for Børn og Unge).",
    "AGE-MAX": "30 år eller ældre: ikke Ungehusets målgruppe; henvis til jobcenterets "
    "voksenafdeling.",
    "R1": "Under 18 år med en socialfaglig sag eller behov for specialiseret støtte: "
    "børne- og familierådgiver i Center for Børn og Unge.",
    "R2": "Under 18 år i grundskolen eller 10. klasse: uddannelsesvejleder i Center for "
    "Børn og Unge.",
    "R3": "15-17 år og ikke i grundskolen (også når udfordringen alene er fastholdelse): "
    "uddannelsesvejleder i Center for Arbejdsmarked og Integration i Ungehuset.",
    "R4": "18 år eller ældre på førtidspension eller med behov for specialiseret støtte: "
    "handicap- og psykiatrirådgiver i Center for Handicap og Psykiatri.",
    "R5": "18 år eller ældre med en sag i jobcenteret: beskæftigelsesrådgiver i Center for "
    "Arbejdsmarked og Integration.",
    "R6": "18-24 år, hverken i gang med eller færdig med en ungdomsuddannelse (og hverken "
    "R4 eller R5): "
    "uddannelsesvejleder i Center for Arbejdsmarked og Integration (opsøgende indsats).",
    "R7": "18 år eller ældre, og hverken R4, R5 eller R6: beskæftigelsesrådgiver i "
    "jobcenterets ungeafdeling (Center for Arbejdsmarked og Integration).",
    "R8": "Behov for hjælp til bolig eller økonomi: borgerservicerådgiver i Center for "
    "Kultur, Fritid og Borgerservice.",
    "T1": "To eller flere centre er involveret: tværfagligt team med koordinerende "
    "sagsbehandler; første booking er et teammøde med én fagperson fra hvert center.",
    "L1": "Ledende center (den koordinerende sagsbehandlers) er det første involverede af "
    "CBU (R1), CHP, CAI, CBU (R2), CKFB: enheden med den væsentligste kontakt.",
}

REASON_AGE_MIN_DA = (
    "Den unge er under 15 år og hører ikke til Ungehuset. "
    "Henvis til skolens uddannelsesvejleder i Center for Børn og Unge."
)
REASON_AGE_MAX_DA = (
    "Den unge er 30 år eller ældre og hører ikke til Ungehuset. "
    "Henvis til jobcenterets voksenafdeling."
)

WARNING_TEXT_DA: dict[str, str] = {
    "CPR_MOD11": "CPR-nummeret består ikke modulus 11-kontrollen. Det er ikke en fejl: "
    "CPR-numre udstedt siden 2007 kan mangle kontrolciffer. Tjek nummeret med den unge.",
}

TEAM_MEETING_DA = (
    "Første booking: teammøde med én fagperson fra hvert involveret center, den unge "
    "og forældre/værge, hvis den unge er under 18 år."
)
FIRST_CONVERSATION_DA = "Første booking: første samtale med centerets kontaktrolle."
EDUCATION_DUTY_DA = (
    "15-17 år: den unge har pligt til at være i uddannelse, beskæftigelse eller anden "
    "aktivitet; uddannelsesplanen beskriver hvordan."
)
