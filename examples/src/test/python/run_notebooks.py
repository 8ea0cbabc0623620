#!/usr/bin/env python3
"""Execute the example notebooks headless with the rapaio Java kernel and Debian's nbclient.

Called by the examples module's `integration-test` phase (ai.hypnos.examples.notebooks.NotebookStep),
which resolves the kernel jar and the classpath through Maven and sets RJK_CLASSPATH. Usable by
hand as well:

    /usr/bin/python3 examples/src/test/python/run_notebooks.py --notebooks examples/notebooks \
        --out examples/target/notebooks --kernel-jar K.jar --java "$JAVA_HOME/bin/java"

For each notebook (name order) it
  * refuses kernel magics (lines starting with '%'): the notebooks must run unchanged in IJava,
    JJava and rapaio, whose magics differ;
  * starts the kernel, retrying the start up to --attempts times, 10 by default (rapaio 3.0.x
    sometimes never answers its first kernel_info, "Kernel didn't respond", or exits before it,
    "Kernel died before replying to kernel_info"; its log then shows no request arriving at all,
    while a start that works answers within 1-2 s, so a failed start is given up after the
    start-up timeout, 20 s by default, and costs no more);
  * runs every cell; an error in a cell fails the run (exit status 1) after the other notebooks ran;
  * writes the executed copy to OUT/<name>.ipynb and its PNG outputs to OUT/<stem>/cell<i>-<j>.png;
  * checks the notebook produced at least metadata.hypnos.min_png images.
"""
import argparse
import atexit
import base64
import json
import os
import sys
import time
from pathlib import Path

KERNEL_NAME = "rapaio-jupyter-kernel"


def write_kernel_spec(kernels_root: Path, java: str, jar: Path, heap: str) -> None:
    """A kernel spec for the rapaio jar, with no 'env' so that RJK_CLASSPATH comes from outside."""
    spec_dir = kernels_root / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [java, f"-Xmx{heap}", "-Dai.djl.offline=true", "-jar", str(jar.resolve()), "{connection_file}"],
        "display_name": "Java (rapaio)",
        "language": "java",
        "interrupt_mode": "message",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=2) + "\n")


def magic_lines(nb) -> list:
    """(cell index, line) of every line that is a kernel magic."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if line.lstrip().startswith("%"):
                found.append((i, line.strip()))
    return found


def execute(path: Path, attempts: int, timeout: int, startup_timeout: int, kernel_log: Path):
    """Executes one notebook; returns (executed notebook, kernel starts used). Raises on a failing cell.

    The kernel's own console output (its classpath scan, connection logs) goes to kernel_log.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    last_error = None
    for attempt in range(1, attempts + 1):
        nb = nbformat.read(str(path), as_version=4)
        started = {"ok": False}

        def on_start(**_):
            started["ok"] = True

        client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=timeout, startup_timeout=startup_timeout,
                                resources={"metadata": {"path": str(path.parent)}}, on_notebook_start=on_start)
        try:
            with open(kernel_log, "a") as log:
                log.write(f"--- {path.name}, kernel start {attempt}\n")
                log.flush()
                client.execute(stdout=log, stderr=log)
            return nb, attempt
        except CellExecutionError as e:
            e.notebook = nb  # the partly executed copy, kept for debugging
            raise
        except RuntimeError as e:
            # Only a kernel that never came up is retried; anything after start-up is a real failure.
            if started["ok"]:
                raise
            # nbclient already shut the silent kernel down; drop its exit hook, which would
            # otherwise try again at interpreter exit and print a traceback.
            atexit.unregister(client._cleanup_kernel)
            last_error = e
            print(f"  kernel start {attempt}/{attempts} failed ({e})" + ("; retrying" if attempt < attempts else ""),
                  flush=True)
    raise RuntimeError(f"kernel did not start in {attempts} attempts: {last_error}")


def save_outputs(nb, out_dir: Path, stem: str) -> int:
    """Writes every image/png output as a file; returns how many."""
    png_dir = out_dir / stem
    png_dir.mkdir(parents=True, exist_ok=True)
    for old in png_dir.glob("*.png"):
        old.unlink()
    count = 0
    for i, cell in enumerate(nb.cells):
        for j, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            if "image/png" in data:
                (png_dir / f"cell{i:02d}-{j}.png").write_bytes(base64.b64decode(data["image/png"]))
                count += 1
    return count


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--notebooks", required=True, type=Path, help="folder of .ipynb files")
    p.add_argument("--out", required=True, type=Path, help="where executed copies and PNGs go")
    p.add_argument("--kernel-jar", required=True, type=Path, help="rapaio-jupyter-kernel jar")
    p.add_argument("--java", default="java", help="java executable for the kernel")
    p.add_argument("--heap", default="2g", help="kernel JVM -Xmx")
    p.add_argument("--attempts", type=int, default=10,
                   help="kernel starts per notebook (clean-clone CI runs on 2026-11-27 saw 4 of 8 starts hang)")
    p.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    p.add_argument("--startup-timeout", type=int, default=20,
                   help="seconds for the kernel to answer: a start that works answers within 1-2 s of "
                        "launching; one that hangs never does, so waiting longer only delays the retry")
    p.add_argument("--only", action="append", default=[], help="run only these notebook names")
    args = p.parse_args()

    try:
        import nbclient  # noqa: F401  (Debian: python3-nbclient)
        import nbformat
    except ImportError as e:
        print(f"[notebooks] nbclient is not importable by {sys.executable}: {e}", file=sys.stderr)
        return 3

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    # Kernel spec and connection files under target/, nothing in the user's ~/.local.
    write_kernel_spec(out, args.java, args.kernel_jar, args.heap)
    os.environ["JUPYTER_PATH"] = str(out)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(out / "runtime")
    if not os.environ.get("RJK_CLASSPATH"):
        print("[notebooks] RJK_CLASSPATH is not set: the kernel would not see the hypnos jars", file=sys.stderr)
        return 2

    notebooks = sorted(args.notebooks.glob("*.ipynb"))
    if args.only:
        notebooks = [n for n in notebooks if n.name in args.only or n.stem in args.only]
    if not notebooks:
        print(f"[notebooks] no notebooks in {args.notebooks}", file=sys.stderr)
        return 2

    failures = []
    total = time.monotonic()
    for path in notebooks:
        t0 = time.monotonic()
        (out / f"{path.stem}.kernel.log").unlink(missing_ok=True)
        print(f"[notebooks] {path.name}", flush=True)
        source = nbformat.read(str(path), as_version=4)
        magics = magic_lines(source)
        if magics:
            failures.append(f"{path.name}: kernel magics are not portable across IJava/JJava/rapaio: {magics}")
            continue
        try:
            nb, starts = execute(path, args.attempts, args.timeout, args.startup_timeout,
                                 out / f"{path.stem}.kernel.log")
        except Exception as e:  # a failing cell (CellExecutionError carries the traceback) or no kernel
            failures.append(f"{path.name}: {e}")
            if getattr(e, "notebook", None) is not None:
                nbformat.write(e.notebook, str(out / path.name))
            print(f"  FAILED after {time.monotonic() - t0:.1f} s:\n{e}", flush=True)
            continue
        nbformat.write(nb, str(out / path.name))
        pngs = save_outputs(nb, out, path.stem)
        wanted = int(source.metadata.get("hypnos", {}).get("min_png", 0))
        if pngs < wanted:
            failures.append(f"{path.name}: {pngs} PNG outputs, expected at least {wanted}")
        print(f"  ok in {time.monotonic() - t0:.1f} s ({len(nb.cells)} cells, {pngs} PNGs, "
              f"kernel start {starts}/{args.attempts}) -> {out / path.name}", flush=True)

    print(f"[notebooks] {len(notebooks) - len(failures)}/{len(notebooks)} passed in "
          f"{time.monotonic() - total:.1f} s", flush=True)
    for f in failures:
        print(f"[notebooks] FAILED {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
