"""Relief-type names and rules for reports, read from the policies (cached per report)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ...domain.policy import Policy, ReliefType
from ...storage.models import PolicyVersion
from ..relief.policies import in_force_row, policy_of


class TypeNames:
    """``name(year, code)``: the relief type's Chinese name in the policy of that year;
    ``relief_type(version_id, year, code)``: its rules in that version (else the year's)."""

    def __init__(self, session: Session):
        self._s = session
        self._by_year: dict[int, Policy | None] = {}
        self._by_version: dict[int, Policy | None] = {}

    def policy(self, year: int) -> Policy | None:
        if year not in self._by_year:
            row = in_force_row(self._s, year)
            self._by_year[year] = policy_of(row) if row is not None else None
        return self._by_year[year]

    def version(self, version_id: int | None) -> Policy | None:
        if version_id is None:
            return None
        if version_id not in self._by_version:
            row = self._s.get(PolicyVersion, version_id)
            self._by_version[version_id] = policy_of(row) if row is not None else None
        return self._by_version[version_id]

    def relief_type(self, version_id: int | None, year: int, code: str) -> ReliefType | None:
        for policy in (self.version(version_id), self.policy(year)):
            rt = policy.relief_type(code) if policy is not None else None
            if rt is not None:
                return rt
        return None

    def name(self, year: int, code: str) -> str:
        policy = self.policy(year)
        rt = policy.relief_type(code) if policy is not None else None
        if rt is not None:
            return rt.name
        for policy in self._by_version.values():
            rt = policy.relief_type(code) if policy is not None else None
            if rt is not None:
                return rt.name
        return code
