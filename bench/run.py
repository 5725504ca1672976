"""Benchmarks of docs/design.md section 10, as ratios against reference processes.

Every product process is timed in the same run as its reference, interleaved round by round, so
that the machine's drift (up to 2x on shared machines) hits both alike; the report gives median
ratios. Peak memory is each process's own maximum resident set size.

Run: ``make bench`` (or ``.venv/bin/python bench/run.py --rounds 15``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
EXAMPLE = REPO / "resources" / "examples" / "specialist-review-controlled-bp.consult.json"
# An incomplete consult: its assessment fills the unknown answers twice for the bounds.
HALFWAY = REPO / "resources" / "examples" / "incomplete-halfway.consult.json"
# The desktop bundle of `make dist` (docs/design.md section 12), timed when it has been built.
BUNDLE = REPO / "dist" / "decision-aid"
BUNDLE_PROGRAM = BUNDLE / "decision-aid"
BUNDLE_STARTUP = "bundle --exit-after-startup"


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)


def run_process(command: Sequence[str], environment: dict[str, str]) -> tuple[float, int]:
    """Runs one process to the end; returns its wall time and its own peak RSS in KiB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr.strip()}")
    return elapsed, usage.ru_maxrss  # Linux reports ru_maxrss in KiB


def processes(output: Path) -> dict[str, list[str]]:
    python = sys.executable
    commands = {
        "reference (a): pydantic + empty window": [python, str(BENCH / "reference_window.py")],
        "decision-aid --exit-after-startup": [python, "-m", "decision_aid", "--exit-after-startup"],
        "reference (b): pydantic + one-paragraph PDF": [
            python,
            str(BENCH / "reference_pdf.py"),
            str(output / "reference.pdf"),
        ],
        "decision-aid handout": [
            python,
            "-m",
            "decision_aid",
            "handout",
            str(EXAMPLE),
            "-o",
            str(output / "handout.pdf"),
        ],
        "decision-aid assess --json": [
            python,
            "-m",
            "decision_aid",
            "assess",
            str(EXAMPLE),
            "--json",
        ],
    }
    if BUNDLE_PROGRAM.is_file():
        commands[BUNDLE_STARTUP] = [str(BUNDLE_PROGRAM), "--exit-after-startup"]
    return commands


def folder_bytes(folder: Path) -> int:
    """The size of the files under ``folder`` (links counted as links, not followed)."""
    total = 0
    for parent, _, names in os.walk(folder):
        for name in names:
            total += os.lstat(os.path.join(parent, name)).st_size
    return total


def archive_bytes(folder: Path) -> int:
    """The size of ``folder`` as a tar.gz archive (gzip's default level, as ``tar -czf``)."""
    import tarfile

    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / f"{folder.name}.tar.gz"
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            tar.add(folder, arcname=folder.name)
        return archive.stat().st_size


def compile_package() -> None:
    """Writes the package's bytecode, as installing its wheel does.

    An editable install under PYTHONDONTWRITEBYTECODE=1 (set on some machines here) would
    otherwise compile every module of the program from source at each start, a cost the
    references, whose libraries pip compiled at install, never pay.
    """
    import compileall

    compileall.compile_dir(REPO / "decision_aid", quiet=1)


def time_processes(rounds: int) -> dict[str, Samples]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    compile_package()
    results: dict[str, Samples] = {}
    with tempfile.TemporaryDirectory() as folder:
        commands = processes(Path(folder))
        # Each program its own content cache, as on a clinic's machine, where one program
        # runs: the cache keeps one validated pack per user, so the bundle and the installed
        # program taking turns in one cache would each validate the pack again at every start.
        environments = {
            name: {**environment, "XDG_CACHE_HOME": str(Path(folder) / "cache" / name)}
            for name in commands
        }
        for name, command in commands.items():  # warm the file and content caches; not counted
            run_process(command, environments[name])
        for _ in range(rounds):
            for name, command in commands.items():
                seconds, peak = run_process(command, environments[name])
                samples = results.setdefault(name, Samples())
                samples.seconds.append(seconds)
                samples.peak_kib.append(peak)
    return results


def random_consult_data(generator: random.Random) -> dict[str, Any]:
    """A valid consult with random answers, some left out (unknown)."""
    from decision_aid.consult import (
        Outcome,
        Therapy,
        field_bounds,
        field_choices,
        field_paths,
        is_list_field,
    )

    numbers = {
        "patient.age_years": (0, 120),
        "fibromyalgia.symptom_months": (0, 240),
        "fibromyalgia.wpi": (0, 19),
        "fibromyalgia.sss": (0, 12),
        "fibromyalgia.pain_nrs": (0, 10),
        "comorbidities.phq9_total": (0, 27),
        "comorbidities.phq9_item9": (0, 3),
    }
    data: dict[str, Any] = {}
    for path in field_paths():
        if generator.random() < 0.15:
            continue
        value: Any
        if path == "prior_treatments":
            value = [
                {"therapy": therapy.value, "outcome": generator.choice(list(Outcome)).value}
                for therapy in generator.sample(list(Therapy), generator.randint(0, 5))
            ]
        elif is_list_field(path):
            choices = field_choices(path) or ()
            value = generator.sample(list(choices), generator.randint(0, len(choices)))
        elif path in numbers or field_bounds(path):
            value = generator.randint(*(numbers.get(path) or field_bounds(path) or (0, 0)))
        else:
            value = generator.choice(field_choices(path) or ())
        *sections, name = path.split(".")
        target = data
        for section in sections:
            target = target.setdefault(section, {})
        target[name] = value
    comorbidities = data.get("comorbidities", {})
    if comorbidities.get("phq9_item9", 0) > comorbidities.get("phq9_total", 27):
        comorbidities["phq9_item9"] = comorbidities["phq9_total"]  # item 9 is part of the total
    return data


def in_process(repeats: int) -> dict[str, float]:
    from decision_aid.consult import Consult
    from decision_aid.content import load_content
    from decision_aid.files import read_consult_file
    from decision_aid.rules import assess

    content = load_content()
    consult = read_consult_file(EXAMPLE)
    figures: dict[str, float] = {}

    def median_ms(action: Callable[[], object], count: int) -> float:
        action()
        times = []
        for _ in range(count):
            start = time.perf_counter()
            action()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    figures["assess one consult (ms, median)"] = median_ms(lambda: assess(consult, content), 2000)
    halfway = read_consult_file(HALFWAY)
    figures["assess one incomplete consult, bounds (ms, median)"] = median_ms(
        lambda: assess(halfway, content), 2000
    )

    generator = random.Random(20261124)
    consults = [Consult.model_validate(random_consult_data(generator)) for _ in range(10_000)]
    start = time.perf_counter()
    for generated in consults:
        assess(generated, content)
    figures["assess 10,000 generated consults (s)"] = time.perf_counter() - start

    try:
        from decision_aid.handout import Paper, render_handout
    except ImportError:
        return figures
    assessment = assess(consult, content)
    language = consult.patient.handout_language
    figures["render handout in process (ms, median)"] = median_ms(
        lambda: render_handout(consult, assessment, content, language, Paper.LETTER), repeats
    )
    return figures


def first_preview() -> dict[str, float]:
    """The first Review preview against the handout render alone, in a process of its own
    (bench/first_preview.py): the window and Qt stay out of this process."""
    result = subprocess.run(
        [sys.executable, str(BENCH / "first_preview.py")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def course_window() -> dict[str, float]:
    """The course chart's paint and a visit added in the window (bench/course_window.py), in a
    process of its own."""
    result = subprocess.run(
        [sys.executable, str(BENCH / "course_window.py")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=11, help="interleaved rounds (default 11)")
    arguments = parser.parse_args(argv)

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {arguments.rounds} rounds")
    results = time_processes(arguments.rounds)
    print(f"\n{'process':48} {'median s':>9} {'peak MiB':>9}")
    for name, samples in results.items():
        seconds = statistics.median(samples.seconds)
        peak = statistics.median(samples.peak_kib) / 1024
        print(f"{name:48} {seconds:9.3f} {peak:9.1f}")

    spreads: list[str] = []

    def ratios(product: str, reference: str) -> tuple[float, float]:
        per_round = [
            p / r for p, r in zip(results[product].seconds, results[reference].seconds, strict=True)
        ]
        time_ratio = statistics.median(per_round)
        if len(per_round) >= 4:
            low, _, high = statistics.quantiles(per_round, n=4)
            spreads.append(f"{product}: middle half of the rounds {low:.2f}-{high:.2f}")
        memory_ratio = statistics.median(results[product].peak_kib) / statistics.median(
            results[reference].peak_kib
        )
        return time_ratio, memory_ratio

    print("\nratio (median of per-round ratios)            time  memory  target")
    checks: list[tuple[str, bool]] = []
    start_time, start_memory = ratios(
        "decision-aid --exit-after-startup", "reference (a): pydantic + empty window"
    )
    print(f"{'start-up / reference (a)':45} {start_time:5.2f}  {start_memory:6.2f}  <= 1.3 both")
    checks.append(("start-up time", start_time <= 1.3))
    checks.append(("start-up memory", start_memory <= 1.3))
    handout_time, handout_memory = ratios(
        "decision-aid handout", "reference (b): pydantic + one-paragraph PDF"
    )
    print(f"{'handout / reference (b)':45} {handout_time:5.2f}  {handout_memory:6.2f}  <= 1.5 time")
    checks.append(("handout process time", handout_time <= 1.5))
    assess_time, assess_memory = ratios(
        "decision-aid assess --json", "reference (b): pydantic + one-paragraph PDF"
    )
    print(
        f"{'assess / reference (b) (for information)':45} {assess_time:5.2f}  {assess_memory:6.2f}"
    )
    if BUNDLE_STARTUP in results:
        reference = "reference (a): pydantic + empty window"
        bundle_time, bundle_memory = ratios(BUNDLE_STARTUP, reference)
        label = "bundle start-up / reference (a)"
        print(f"{label:45} {bundle_time:5.2f}  {bundle_memory:6.2f}  <= 1.5 time")
        checks.append(("bundle start-up time", bundle_time <= 1.5))
    # The spread of the per-round time ratios: how much this run's machine drifted.
    for line in spreads:
        print(f"  {line}")

    if BUNDLE_PROGRAM.is_file():
        size = folder_bytes(BUNDLE)
        archive = archive_bytes(BUNDLE)
        print(f"\nthe desktop bundle ({BUNDLE.relative_to(REPO)})")
        print(f"{'folder size (MB)':45} {size / 1e6:8.1f}  <= 250  ({size / 2**20:.1f} MiB)")
        print(f"{'tar.gz archive (MB)':45} {archive / 1e6:8.1f}  ({archive / 2**20:.1f} MiB)")
        checks.append(("bundle size", size <= 250e6))
    else:
        print("\nno desktop bundle (make dist builds dist/decision-aid): its figures are left out")

    print("\nin process")
    figures = in_process(repeats=15)
    preview = first_preview()
    print(
        f"{'first preview / handout render alone (ratio)':45} {preview['ratio']:8.2f}"
        "  (for information)"
    )
    figures["first preview after the warm-up (s)"] = preview["first preview (s)"]
    # The course assessment (docs/design.md section 13.6): bench/course.py.
    sys.path.insert(0, str(BENCH))
    from course import TARGETS as COURSE_TARGETS
    from course import course_figures

    figures |= course_figures()
    figures |= course_window()
    targets = COURSE_TARGETS | {
        "assess one consult (ms, median)": 5.0,
        "assess one incomplete consult, bounds (ms, median)": 5.0,
        "assess 10,000 generated consults (s)": 2.0,
        "render handout in process (ms, median)": 150.0,
        "first preview after the warm-up (s)": 0.25,
        "course chart paint, 20 visits (ms, median)": 50.0,
        "add a visit in the window (ms, median)": 100.0,
    }
    for name, value in figures.items():
        print(f"{name:45} {value:8.3f}  < {targets[name]:g}")
        checks.append((name, value < targets[name]))

    failed = [name for name, passed in checks if not passed]
    print("\nall targets met" if not failed else f"\nmissed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
