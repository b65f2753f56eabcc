"""A specimen report with plausible data, for the demo lab, benchmarks and tests.

Nothing in it comes from a real run: the curves are synthetic insulation-resistance measurements.
"""

from __future__ import annotations

import hashlib
from datetime import date

import numpy as np

from results.certificates.measurements import DecisionRule, Measurement, Verdict
from results.certificates.model import (
    Amendment,
    Condition,
    EquipmentUsed,
    Laboratory,
    Party,
    Person,
    ReportData,
    ReportDates,
    ReportStatus,
    RunResult,
    TestItem,
    TestMethod,
)
from results.certificates.series import PlotSeries

__all__ = ["SPECIMEN_APPLICANT", "SPECIMEN_CODE", "specimen_report"]

#: The specimen's verification code, as printed.
SPECIMEN_CODE = "7K3Q-M9XA-2B8D-TV4N"

SPECIMEN_APPLICANT = Party(
    name="(주)한빛소재",
    address="경기도 안산시 단원구 산단로 123, 15434",
    business_registration_number="124-81-00998",
)


def _run(index: int, item_label: str, points: int) -> RunResult:
    time_s = np.linspace(0.0, 60.0, points)
    resistance = 850.0 * (1 - np.exp(-time_s / (8.0 + index))) + 40.0 + np.sin(time_s * (index + 1)) * 3.0
    voltage = np.full(points, 500.0) + np.cos(time_s) * 0.4
    final = float(resistance[-1])
    run_id = f"R-2025-{1200 + index:05d}"
    return RunResult(
        run_id=run_id,
        item_label=item_label,
        measurements=(
            Measurement(
                "Insulation resistance at 60 s",
                final,
                final * 0.021,
                2.0,
                "MΩ",
                lower_limit=100.0,
                verdict=Verdict.PASS,
            ),
            Measurement("Test voltage", float(voltage.mean()), 1.2, 2.0, "V", 490.0, 510.0, Verdict.PASS),
            Measurement("Polarisation index", 1.0 + index * 0.05, 0.04, 2.0, "", verdict=Verdict.NOT_ASSESSED),
        ),
        data_sha256=hashlib.sha256(f"{run_id}.h5".encode()).hexdigest(),
        series=(
            PlotSeries(
                f"Run {run_id}: insulation resistance (절연저항)", time_s, resistance, "Time", "s", "Resistance", "MΩ"
            ),
        ),
        conditions=(Condition("Test voltage", "500", "V"), Condition("Electrification time", "60", "s")),
        equipment=(
            EquipmentUsed(
                "IRM-01", "Keysight B2987B", "MY61234567", "KOLAS-CAL-2025-0311", date(2025, 1, 20), date(2026, 1, 19)
            ),
        ),
    )


def specimen_report(
    *,
    runs: int = 3,
    points: int = 600,
    number: str = "LS-2025-0042",
    amendment: Amendment | None = None,
) -> ReportData:
    """Build a specimen report.

    Args:
        runs: How many runs (each with one plot); three fill more than two A4 pages.
        points: Samples per plotted curve.
        number: The certificate number.
        amendment: Set to make the specimen an amended report.
    """
    items = (
        TestItem("S1", "Epoxy-insulated busbar, 400 mm, lot 2025-03", "Intact, sealed in antistatic bag", "SMP-000311"),
        TestItem("S2", "Epoxy-insulated busbar, 400 mm, lot 2025-04", "Intact; label partly torn", "SMP-000312"),
    )
    return ReportData(
        number=number,
        status=ReportStatus.ISSUED,
        lab=Laboratory(
            name="Hanbit Shared Verification Lab",
            address="55 Gwahak-ro, Yuseong-gu, Daejeon 34141, Republic of Korea",
            accreditation="KOLAS accredited testing laboratory No. KT-0000 (ISO/IEC 17025:2017)",
            test_site="Permanent laboratory, room B-104, at the address above",
        ),
        applicant=SPECIMEN_APPLICANT,
        payer=SPECIMEN_APPLICANT,
        recipient=Party("(주)한빛소재 품질보증팀", "경기도 안산시 단원구 산단로 123, 15434"),
        method=TestMethod("IR-500", "Insulation resistance at 500 V DC", "IEC 60093:1980 (adapted)", "3"),
        items=items,
        dates=ReportDates(date(2025, 3, 10), date(2025, 3, 11), date(2025, 3, 12), date(2025, 3, 14)),
        runs=tuple(_run(index, items[index % len(items)].label, points) for index in range(runs)),
        decision_rule=DecisionRule.SIMPLE_ACCEPTANCE,
        conformity_statement="The items tested conform to the specified limits for every assessed quantity.",
        authorised_by=Person("Kim Seo-yeon (김서연)", "Technical manager"),
        tested_by=Person("Park Ji-ho (박지호)", "Test engineer"),
        verification_url=f"https://lab.example.kr/verify?number={number}&code={SPECIMEN_CODE}",
        deviations=(),
        amendment=amendment,
        verification_code=SPECIMEN_CODE,
    )
