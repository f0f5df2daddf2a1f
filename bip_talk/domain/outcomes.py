"""What happened to a citizen after the meetings: the outcome kinds and the stored record.

BIP linked its measurements to what happened next (job or not, from the registers);
a job centre using bip-talk records it itself. An outcome is a fact with a date and
the caseworker who recorded it. A citizen may have several (a job that ends, then
education). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

JOB = "job"  # ordinary job
SUBSIDISED_JOB = "subsidised_job"  # job with wage subsidy, or flexjob
EDUCATION = "education"  # education started
OTHER = "other"  # any other exit: moved, other benefit, illness, …
OUTCOME_KINDS = (JOB, SUBSIDISED_JOB, EDUCATION, OTHER)
# "In a job or education" in the BIP tables.
IN_WORK_OR_EDUCATION = (JOB, SUBSIDISED_JOB, EDUCATION)


@dataclass(frozen=True, slots=True)
class Outcome:
    id: int
    citizen_id: str
    kind: str
    occurred_on: str  # ISO date
    recorded_by: int | None  # caseworker id
    recorded_at: str
    updated_at: str | None
