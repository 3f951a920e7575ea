#!/usr/bin/env python3
"""The ABI baselines in abi/ and the check against them (`make abi-baseline`, `make check-abi`).

    scripts/abi.py baseline LIBRARY HEADER    writes abi/VERSION/ for the library's version
    scripts/abi.py check LIBRARY HEADER       compares the library with every baseline
    scripts/abi.py selftest LIBRARY HEADER    shows that the check fails when it must: on
                                              baselines made from the library with one symbol
                                              removed, one code's value changed, and passes
                                              when the SONAME differs

A baseline (abi/VERSION/) holds:

* ``soname``: the library's SONAME (libgumloop.so.0.MINOR before 1.0, libgumloop.so.MAJOR after);
* ``symbols``: each exported symbol with its ELF type, binding and symbol version, as
  ``objdump -T`` shows them;
* ``declarations``: each declaration of the header a program compiles against, one a line with
  its whitespace collapsed: the function prototypes (without parameter names), the typedefs (opaque handles, the code
  type, the callback) and the values of the ``GUMLOOP_*`` constants (the version macros left
  out: they change with every release).

The release library is stripped, so it carries no DWARF types (libabigail's abidiff would see
only its ELF symbols); the header supplies the types instead, which makes the comparison as
strict for a C ABI: a function's return or parameter types, a typedef and a code's value.

The check: for each baseline whose SONAME the library still has, every symbol of the baseline
must still be exported with the same type, binding and version, and every declaration must be
unchanged (additions are compatible). A baseline of another SONAME is reported and passes: the
SONAME changed, so programs linked against the old library keep loading the old library.

A baseline is rewritten only while its version is unreleased: once the tag vVERSION exists in
the repository, `baseline` refuses to change it (docs/RELEASING.md).
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
ABI_DIR = ROOT / "abi"
# Version macros change with every release; they are not part of the ABI.
VERSION_MACRO = re.compile(r"^GUMLOOP_VERSION_")


def run(*command: str) -> str:
    """The standard output of a command that must succeed."""
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def soname(library: Path) -> str:
    match = re.search(r"\(SONAME\).*\[(.*)\]", run("readelf", "-d", str(library)))
    if match is None:
        raise SystemExit(f"abi.py: {library} has no SONAME")
    return match.group(1)


def symbols(library: Path) -> Dict[str, str]:
    """Exported (defined) dynamic symbols: name -> 'binding type version' (objdump -T)."""
    found: Dict[str, str] = {}
    for line in run("objdump", "-T", str(library)).splitlines():
        # 00000000001eec40 g    DF .text	0000000000000619  Base        gumloop_client_new
        fields = line.split()
        if len(fields) < 7 or not re.fullmatch(r"[0-9a-f]+", fields[0]) or fields[3] == "*UND*":
            continue
        binding, kind, version, name = fields[1], fields[2], fields[-2], fields[-1]
        found[name] = f"{binding} {kind} {version}"
    return found


def declarations(header: Path) -> Dict[str, str]:
    """The header's declarations by name: prototypes, typedefs and constants, whitespace collapsed."""
    text = header.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)  # comments
    text = re.sub(r"//[^\n]*", " ", text)
    found: Dict[str, str] = {}
    for match in re.finditer(r"^#define\s+(GUMLOOP_\w+)[ \t]+([^\n]+)$", text, flags=re.M):
        if not VERSION_MACRO.match(match.group(1)):
            found[match.group(1)] = f"#define {match.group(1)} {' '.join(match.group(2).split())}"
    body = re.sub(r"^\s*#[^\n]*$", " ", text, flags=re.M)  # preprocessor lines
    body = re.sub(r'extern\s+"C"\s*\{|^\s*\}\s*$', " ", body, flags=re.M)
    for statement in body.split(";"):
        statement = " ".join(statement.split())
        if not statement:
            continue
        if statement.startswith("typedef"):
            name = re.findall(r"\(\s*\*\s*(\w+)\s*\)|(\w+)\s*$", statement)
            key = next((a or b for a, b in name if a or b), statement)
            found[key] = statement + ";"
            continue
        function = re.search(r"\b(gumloop_\w+)\s*\((.*)\)$", statement)
        if function:
            found[function.group(1)] = f"{statement[:function.start(2)]}{without_names(function.group(2))});"
    return found


def without_names(parameters: str) -> str:
    """A parameter list with the parameters' names left out (renaming one breaks nothing):
    ``const char *agent_id, size_t len`` becomes ``const char *, size_t``."""
    kept = []
    for parameter in parameters.split(","):
        parameter = parameter.strip()
        match = re.fullmatch(r"(.*?[\s*])(\w+)", parameter)
        kept.append(match.group(1).strip() if match and parameter != "void" else parameter)
    return ", ".join(kept)


def describe(library: Path, header: Path) -> Dict[str, List[str]]:
    return {
        "soname": [soname(library)],
        "symbols": [f"{name} {info}" for name, info in sorted(symbols(library).items())],
        "declarations": [line for _, line in sorted(declarations(header).items())],
    }


def library_version(header: Path) -> str:
    match = re.search(r'^#define GUMLOOP_VERSION_STRING "([^"]+)"', header.read_text(), flags=re.M)
    if match is None:
        raise SystemExit(f"abi.py: {header} defines no GUMLOOP_VERSION_STRING")
    return match.group(1)


def baseline(library: Path, header: Path) -> int:
    version = run(str(ROOT / "scripts" / "version.sh")).strip()
    if library_version(header) != version:
        raise SystemExit(f"abi.py: {header} is version {library_version(header)}, Cargo.toml {version}")
    tagged = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "-q", "--verify", f"refs/tags/v{version}"],
                            capture_output=True)
    if tagged.returncode == 0:
        raise SystemExit(f"abi.py: v{version} is released (tag v{version}): its baseline is frozen")
    target = ABI_DIR / version
    target.mkdir(parents=True, exist_ok=True)
    for name, lines in describe(library, header).items():
        (target / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"abi/{version}: {soname(library)}, {len(symbols(library))} symbols, "
          f"{len(declarations(header))} declarations")
    return 0


def check(library: Path, header: Path, abi_dir: Path = ABI_DIR) -> int:
    current = describe(library, header)
    current_symbols = {line.split()[0]: line for line in current["symbols"]}
    current_declarations = declarations(header)
    baselines = sorted(path for path in abi_dir.iterdir() if (path / "soname").is_file())
    if not baselines:
        print("abi.py: no baseline in abi/", file=sys.stderr)
        return 1
    failures = 0
    for path in baselines:
        old_soname = (path / "soname").read_text().strip()
        if old_soname != current["soname"][0]:
            print(f"abi/{path.name}: {old_soname}, the library is {current['soname'][0]}: "
                  "a new SONAME, no compatibility required")
            continue
        problems: List[str] = []
        for line in (path / "symbols").read_text().splitlines():
            name = line.split()[0]
            now = current_symbols.get(name)
            if now is None:
                problems.append(f"symbol removed: {name}")
            elif now != line:
                problems.append(f"symbol changed: {line} -> {now}")
        old_declarations = (path / "declarations").read_text().splitlines()
        now_declarations = set(current_declarations.values())
        for line in old_declarations:
            if line not in now_declarations:
                problems.append(f"declaration changed or removed: {line}")
        if problems:
            failures += 1
            print(f"abi/{path.name}: the library keeps the SONAME {old_soname} but breaks its ABI:",
                  file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
        else:
            added = len(current_symbols) - len((path / "symbols").read_text().splitlines())
            print(f"abi/{path.name}: {old_soname}: every symbol and declaration kept ({added} symbols added)")
    if failures:
        print("abi.py: restore what was removed or changed, or change the SONAME (the minor version "
              "before 1.0); an unreleased version's baseline may be rewritten with `make abi-baseline`",
              file=sys.stderr)
        return 1
    return 0


def selftest(library: Path, header: Path) -> int:
    """The check against altered baselines: each must give the expected verdict."""
    current = describe(library, header)
    removed = dict(current, symbols=current["symbols"] + ["gumloop_selftest_removed g DF Base"])
    code = next(line for line in current["declarations"] if line.startswith("#define GUMLOOP_ERR_"))
    changed_line = re.sub(r"(\d+)$", lambda m: str(int(m.group(1)) + 1000), code)
    changed = dict(current, declarations=[changed_line if line == code else line for line in current["declarations"]])
    other_soname = dict(removed, soname=[current["soname"][0] + ".0"])
    cases = [("a removed symbol", removed, 1), ("a changed code value", changed, 1),
             ("another SONAME", other_soname, 0), ("the library itself", current, 0)]
    failures = 0
    for label, description, expected in cases:
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) / "selftest"
            target.mkdir()
            for name, lines in description.items():
                (target / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                verdict = check(library, header, Path(scratch))
        if verdict != expected:
            failures += 1
            print(f"abi.py selftest: {label}: the check returned {verdict}, expected {expected}", file=sys.stderr)
    if failures == 0:
        print(f"abi.py selftest: the check fails on a removed symbol and a changed code value, and passes "
              f"on a new SONAME and on the library itself")
    return 1 if failures else 0


def main(argv: List[str]) -> int:
    commands = {"baseline": baseline, "check": check, "selftest": selftest}
    if len(argv) != 4 or argv[1] not in commands:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    return commands[argv[1]](Path(argv[2]), Path(argv[3]))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
