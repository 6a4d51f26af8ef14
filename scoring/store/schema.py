"""The campaign store's tables (SQLModel over SQLite or PostgreSQL).

Inputs are stored as the exact YAML text that was imported (one document per unit, survey and
council file), so what is scored later is read through the same checked path as a campaign
folder, and its hash is the hash of that text. Points are stored as decimal strings, never as
floating-point columns. Schema changes go through the Alembic migrations in
``scoring/store/migrations``.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel


class IndexVersion(SQLModel, table=True):
    """An index (criteria.yaml + rule packs) exactly as it was registered."""

    __tablename__ = "index_version"

    content_hash: str = Field(primary_key=True, max_length=64)
    index_id: str = Field(max_length=100)
    year: int
    criteria_text: str
    rules_json: str  # {"file name": "YAML text"} as canonical JSON
    created_at: str


class CampaignRow(SQLModel, table=True):
    """One year's campaign of a province: its index version, deadlines and state."""

    __tablename__ = "campaign"

    id: str = Field(primary_key=True, max_length=100)
    year: int
    index_hash: str = Field(foreign_key="index_version.content_hash", max_length=64)
    state: str = Field(default="open", max_length=20)  # open | appraisal | review | published
    self_assessment_due: str | None = None  # ISO date
    explanation_due: str | None = None
    late_submission: str = Field(default="flag", max_length=10)  # flag | refuse
    created_at: str
    # deadlines are compared, and times shown, in this IANA zone
    time_zone: str = Field(
        default="Asia/Ho_Chi_Minh",
        max_length=64,
        sa_column_kwargs={"server_default": "Asia/Ho_Chi_Minh"},
    )
    version: int = 1
    # the register's units of earlier years with no successor (``ended:``), as canonical JSON
    ended_json: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})


class UnitRow(SQLModel, table=True):
    """A unit taking part in a campaign, with its workflow state."""

    __tablename__ = "unit"

    campaign_id: str = Field(primary_key=True, foreign_key="campaign.id", max_length=100)
    unit_id: str = Field(primary_key=True, max_length=100)
    position: int = 0  # order in the campaign's list
    name: str
    group_id: str = Field(max_length=100)
    tags_json: str = "[]"
    ranked: bool = True
    state: str = Field(default="draft", max_length=20)
    late: bool = False
    submitted_at: str | None = None
    version: int = 1  # optimistic lock: every change bumps it
    # the register: the part of the year it existed (ISO dates) and the units it continues
    valid_from: str | None = None
    valid_to: str | None = None
    predecessors_json: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})


class DocumentRow(SQLModel, table=True):
    """An input text: a unit's self-assessment, or the campaign's survey or council file."""

    __tablename__ = "document"

    campaign_id: str = Field(primary_key=True, foreign_key="campaign.id", max_length=100)
    kind: str = Field(primary_key=True, max_length=20)  # unit | survey | council
    key: str = Field(primary_key=True, max_length=100)  # unit id, or "" for campaign-wide files
    text: str
    sha256: str = Field(max_length=64)
    updated_at: str


class AppraisalRow(SQLModel, table=True):
    """One appraisal change of one node of one unit (append-only)."""

    __tablename__ = "appraisal"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: str = Field(foreign_key="campaign.id", index=True, max_length=100)
    unit_id: str = Field(max_length=100)
    node_id: str = Field(max_length=100)
    round: str = Field(max_length=20)  # 1 | 2 | correction
    score: str  # decimal text
    reason: str
    appraiser: str
    at: str


class ExplanationRow(SQLModel, table=True):
    """A unit's explanation (giải trình) of an appraisal change, with extra evidence."""

    __tablename__ = "explanation"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: str = Field(foreign_key="campaign.id", index=True, max_length=100)
    unit_id: str = Field(max_length=100)
    node_id: str = Field(max_length=100)
    text: str
    evidence_json: str = "[]"
    author: str
    at: str


class RunRow(SQLModel, table=True):
    """A published result, with the hashes of everything it was computed from."""

    __tablename__ = "run"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: str = Field(foreign_key="campaign.id", index=True, max_length=100)
    kind: str = Field(max_length=20)  # publish | correction
    parent_id: int | None = Field(default=None, foreign_key="run.id")
    reason: str | None = None
    actor: str
    at: str
    index_hash: str = Field(max_length=64)
    inputs_hash: str = Field(max_length=64)
    appraisals_hash: str = Field(max_length=64)
    last_appraisal_id: int = 0  # appraisals up to this id fed the run
    result_hash: str = Field(max_length=64)
    result_json: str  # the score document
    traces_json: str  # {unit id: trace} as canonical JSON


class AuditRow(SQLModel, table=True):
    """An append-only, hash-chained record of every change to the store."""

    __tablename__ = "audit_log"

    seq: int | None = Field(default=None, primary_key=True)
    at: str  # effective time (--at, else when it was written)
    written_at: str | None = None  # the machine's clock (UTC); None before migration 0003
    actor: str
    action: str = Field(max_length=50)
    campaign_id: str | None = Field(default=None, max_length=100)
    unit_id: str | None = Field(default=None, max_length=100)
    node_id: str | None = Field(default=None, max_length=100)
    detail_json: str = "{}"
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The last entry of the audit chain, so that deleting the newest entries is detected."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(default="0" * 64, max_length=64)


class AccountRow(SQLModel, table=True):
    """A person who signs in to the web app, with one role (and, for an officer, one unit)."""

    __tablename__ = "account"

    username: str = Field(primary_key=True, max_length=100)
    display_name: str
    role: str = Field(max_length=20)  # officer | appraiser | auditor | admin
    unit_id: str | None = Field(default=None, max_length=100)  # the officer's unit
    password_hash: str  # argon2id, never the password
    active: bool = True
    failed_logins: int = 0  # consecutive failures since the last success
    locked_until: str | None = None  # ISO time; sign-in refused before it
    created_at: str


class SessionRow(SQLModel, table=True):
    """A signed-in browser: the hash of its cookie token and its CSRF token."""

    __tablename__ = "web_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    username: str = Field(foreign_key="account.username", index=True, max_length=100)
    csrf: str = Field(max_length=64)
    created_at: str
    expires_at: str


# --- evidence documents (scoring/store/evidence.py, migration 0005) -------------------------


class EvidenceBlob(SQLModel, table=True):
    """The bytes of an evidence file, once per content (keyed by their SHA-256)."""

    __tablename__ = "evidence_blob"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int
    media_type: str = Field(max_length=40)  # found from the content, never the name
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: str


class EvidenceFile(SQLModel, table=True):
    """An evidence file attached to a leaf of a unit: by its self-assessment (``answers``) or
    by its explanation of an appraisal change (``explanation``)."""

    __tablename__ = "evidence_file"
    __table_args__ = (Index("ix_evidence_file_unit", "campaign_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: str = Field(foreign_key="campaign.id", max_length=100)
    unit_id: str = Field(max_length=100)
    node_id: str = Field(max_length=100)
    stage: str = Field(max_length=20)  # answers | explanation
    sha256: str = Field(foreign_key="evidence_blob.sha256", index=True, max_length=64)
    name: str = Field(max_length=200)  # as the uploader's computer called it, made safe
    size: int
    media_type: str = Field(max_length=40)
    uploader: str = Field(max_length=100)
    at: str
