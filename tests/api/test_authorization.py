"""Every operation of the served OpenAPI document, tried by each of six roles with one company's ids: nobody but
that company and the lab's staff sees or touches its records, and every role the document does not admit is
refused (401 signed out, 403 signed in).

The test walks the document, so an operation added to the API is tried without a change here; a path parameter
of a kind it has never seen fails the test until its value is added to :func:`_path_values`. Public operations
(no security requirement) answer anyone, and give nothing of the company away to anyone outside it either:
``/verify`` with the certificate's number but not its code, a calendar address guessed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from httpx import Response

from labsys.companies.models import Role, User
from tests.api.conftest import Client
from tests.api.records import CompanyRecords
from tests.factories import Lab, lab_start

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]

#: The six callers: signed out, a customer of another company, the records' own customer, and the lab's staff.
ROLES = ("anonymous", "stranger", "owner", "engineer", "reviewer", "admin")
#: Path parameters that name one company's records (the others name the lab's own: methods, instruments), each with
#: the keys under which an answer would repeat it: the caller's own words, given back, give nothing away.
COMPANY_PARAMETERS = {
    "booking_id": frozenset({"booking_id", "booking"}),
    "run_id": frozenset({"run_id", "run"}),
    "company_id": frozenset({"company_id"}),
    "user_id": frozenset(),
    "number": frozenset({"number"}),
}
#: How the role guards answer a role they do not admit.
ROLE_REFUSAL = "this needs the role"


@dataclass(frozen=True)
class Caller:
    """One of :data:`ROLES`: its role in the lab (none, signed out) and its Authorization header."""

    name: str
    role: Role | None
    headers: dict[str, str]


@dataclass(frozen=True)
class Operation:
    """One operation of the document, as the test calls it."""

    method: str
    path: str
    spec: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def public(self) -> bool:
        return self.spec.get("security") == []

    @property
    def admitted(self) -> frozenset[Role]:
        """The roles the operation's security requirement admits (none named: every signed-in role)."""
        named = [name for requirement in self.spec.get("security", []) for name in requirement.get("BearerToken", [])]
        return frozenset(Role(name) for name in named) if named else frozenset(Role)

    @property
    def names_company_records(self) -> bool:
        return bool(self._named)

    @property
    def echoes(self) -> frozenset[str]:
        """The keys under which an answer may repeat a record the path names."""
        return frozenset().union(*(COMPANY_PARAMETERS[name] for name in self._named))

    @property
    def _named(self) -> list[str]:
        return [
            p["name"] for p in self.spec.get("parameters", []) if p["in"] == "path" and p["name"] in COMPANY_PARAMETERS
        ]


def _operations(document: dict[str, Any]) -> Iterator[Operation]:
    for path, item in document["paths"].items():
        for method, spec in item.items():
            if method in {"get", "put", "post", "patch", "delete"}:
                yield Operation(method, path, spec)


def _path_values(records: CompanyRecords) -> dict[str, object]:
    return {
        "booking_id": records.booking_id,
        "run_id": records.run_id,
        "company_id": records.company_id,
        "user_id": records.owner.id,
        "number": records.certificate,
        "asset_tag": "SMU-01",
        "downtime_id": 1,
        "leave_id": 1,
        "plan_id": 1,
        "code": "DIODE-IV",
        "address": "a-guessed-calendar-address.ics",  # a secret nobody was given
    }


def _body_ids(records: CompanyRecords) -> dict[str, int]:
    """The company's ids by the field names request bodies give them."""
    return {"booking": records.booking_id, "sample": records.sample_id, "sample_id": records.sample_id,
            "runs": records.run_id, "company_id": records.company_id}  # fmt: skip


class _Bodies:
    """A request body (or a query value) for each operation: every required field with a valid value, the
    company's ids wherever a field names a booking, a sample, a run or a company, and a method of the catalog."""

    def __init__(self, document: dict[str, Any], records: CompanyRecords) -> None:
        self._schemas: dict[str, Any] = document["components"]["schemas"]
        self._ids = _body_ids(records)
        self._start = lab_start(datetime.now(UTC) + timedelta(days=3), at=time(10, 0)).isoformat()

    def example(self, schema: dict[str, Any], name: str = "") -> Any:
        schema = self._resolved(schema)
        options = [o for o in schema.get("oneOf", schema.get("anyOf", [])) if o.get("type") != "null"]
        if options:
            return self.example(options[0], name)
        if name in self._ids:
            return [self._ids[name]] if schema.get("type") == "array" else self._ids[name]
        if name == "method":
            return "DIODE-IV"  # the lab's catalog is everybody's
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        return self._of_type(schema, name)

    def _of_type(self, schema: dict[str, Any], name: str) -> Any:
        kind = schema.get("type")
        if kind == "object":
            wanted = set(schema.get("required", [])) | (set(schema.get("properties", {})) & set(self._ids))
            return {key: self.example(schema["properties"][key], key) for key in sorted(wanted)}
        if kind == "array":
            return [self.example(schema.get("items", {}), name)]
        if kind in ("integer", "number"):
            return max(schema.get("minimum", 1), schema.get("exclusiveMinimum", 0) + 1)
        if kind == "boolean":
            return False
        return {
            "date-time": self._start,
            "date": datetime.now(UTC).date().isoformat(),
            "email": "someone.new@example.com",
        }.get(schema.get("format", ""), "x" * max(schema.get("minLength", 1), 10))

    def _resolved(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self._schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema


def _call(client: Client, operation: Operation, caller: Caller, records: CompanyRecords, bodies: _Bodies) -> Response:
    path_values = _path_values(records)
    path = operation.path
    query: dict[str, object] = {}
    for parameter in operation.spec.get("parameters", []):
        name = parameter["name"]
        if parameter["in"] == "path":
            assert name in path_values, f"{operation.label}: no value for the path parameter {name!r}: add one"
            path = path.replace(f"{{{name}}}", str(path_values[name]))
        elif parameter["in"] == "query" and (parameter.get("required") or name == "booking"):
            query[name] = records.booking_id if name == "booking" else bodies.example(parameter["schema"], name)
    content = operation.spec.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = json.dumps(bodies.example(content["application/json"]["schema"])).encode()
        headers = caller.headers | {"Content-Type": "application/json"}
    elif content:
        media_type = next(iter(content))
        body, headers = b"%PDF-1.7\n", caller.headers | {"Content-Type": media_type}
    else:
        body, headers = b"", caller.headers
    return client.request(operation.method.upper(), path, params=query, content=body, headers=headers)


def _leaks(response: Response, records: CompanyRecords, echoes: frozenset[str]) -> list[str]:
    """What of the company's records an answer gives away: its name, its customer's email, or one of its ids or
    its certificate's number under the key that names it (but for the one the caller named, given back)."""
    found = [marker for marker in records.markers if marker in response.text]
    if response.headers.get("content-type", "").startswith("application/json"):
        ids = {key: value for key, value in records.ids.items() if key not in echoes}
        found += [f"{key}={value}" for key, value in _pairs(response.json()) if key in ids and ids[key] == value]
    return found


def _pairs(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _pairs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _pairs(item)


def _problems(operation: Operation, caller: Caller, response: Response, records: CompanyRecords) -> list[str]:
    """What is wrong with ``response`` to ``caller`` (nothing, if all is well)."""
    status, detail = response.status_code, response.text
    if status >= 500:
        return [f"a server error: {detail[:200]}"]
    if operation.public:  # anyone may call it; it may show the company's records only to their company and the lab
        return _leaks(response, records, operation.echoes) if caller.name in ("anonymous", "stranger") else []
    if caller.role is None:
        return [] if status == 401 else [f"{status} signed out, where 401 was due"]
    if caller.role not in operation.admitted:
        return [] if status == 403 and ROLE_REFUSAL in detail else [f"{status} where the role's 403 was due"]
    return _admitted_problems(operation, caller, response, records)


def _admitted_problems(operation: Operation, caller: Caller, response: Response, records: CompanyRecords) -> list[str]:
    """A role the operation admits: a stranger finds nothing of the company; its owner and the staff find it."""
    status, detail = response.status_code, response.text
    if ROLE_REFUSAL in detail:
        return [f"refused a role the document admits: {detail[:200]}"]
    if caller.name == "stranger":
        wrong = status not in (403, 404) and operation.names_company_records
        return ([f"{status} on another company's record"] if wrong else []) + _leaks(
            response, records, operation.echoes
        )
    if operation.names_company_records and status == 404:  # the records exist: their company and the lab see them
        return [f"404 for a record {caller.name} may see: {detail[:200]}"]
    return []


@pytest.fixture
def callers(lab: Lab, company_records: CompanyRecords, login: Login) -> list[Caller]:
    """Each of :data:`ROLES`, signed in through the API."""
    users = {
        "stranger": lab.customer,
        "owner": company_records.owner,
        "engineer": lab.engineer,
        "reviewer": company_records.reviewer,
        "admin": lab.admin,
    }
    return [Caller("anonymous", None, {})] + [Caller(n, users[n].role, login(users[n])) for n in ROLES[1:]]


def test_no_role_sees_or_touches_another_companys_records_on_any_operation(
    client: Client, company_records: CompanyRecords, callers: list[Caller]
) -> None:
    document = client.get("/schema/openapi.json").json()
    bodies = _Bodies(document, company_records)
    operations = list(_operations(document))
    problems: list[str] = []
    for operation in operations:
        for caller in callers:
            response = _call(client, operation, caller, company_records, bodies)
            problems += [
                f"{operation.label} as {caller.name}: {p}"
                for p in _problems(operation, caller, response, company_records)
            ]

    assert not problems, "\n".join(problems)
    assert len(operations) * len(callers) >= 43 * 6  # every operation of the API, by every role
