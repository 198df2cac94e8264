"""A large Slack upload previewed: one figures file of N rows staged as the bot stages an upload.

    python -m bench.upload_preview --rows 2000000      # target: <= 20 s, peak RSS <= 256 MB

Writes a made-up viewership CSV (N rows, new shows; about 16 bytes a row) into a temporary folder,
then calls facts.importing.stage_import on a new seeded database with the file's bytes, as the bot
does with a downloaded upload, and prints the time and this process's peak RSS (ru_maxrss), which
includes the file's bytes held in memory.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from facts.importing import ImportFile, open_seeded, stage_import


def write_upload(path: Path, rows: int) -> None:
    with path.open("w") as handle:
        handle.write("show,viewers,window,platform\n")
        handle.writelines(
            f"Upload Show {row},{row % 900 + 1}M,first 28 days,Netflix\n" for row in range(rows)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        upload = Path(folder) / "figures.csv"
        write_upload(upload, args.rows)
        store = open_seeded(Path(folder) / "bench.db")
        data = upload.read_bytes()
        started, cpu = time.perf_counter(), time.process_time()
        _token, plan = stage_import(store, [ImportFile(upload.name, data)], user="bench")
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB: preview {wall:.1f} s wall, {used:.1f} s CPU")
        print(f"peak RSS {peak_mb:.0f} MB; {plan.to_answer(staged=True).headline}")


if __name__ == "__main__":
    main()
