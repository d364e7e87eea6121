"""numpy/BLAS float32 reference timings for bench/run.ts (one process per bench run).

Protocol: one JSON object per line on stdin, one JSON reply per line on stdout.
  {"op": "hello"}              -> {"numpy": version, "blas": name, "threads": description}
  {"op": "setup", "K": k, "D": d, "seed": s}
                               -> {"ok": true} after allocating J (K x D float32, uniform [-1, 1)) and
                                  w (K float32) and running each operation once (warm-up, page faults)
  {"op": "round"}              -> {"gram": ms, "combine": ms}: one G = J @ J.T and one w @ J, timed apart,
                                  replied 0.25 s later (idle BLAS threads stop spinning)
  {"op": "quit"}               -> exits
If numpy cannot be imported, the reply to "hello" is {"error": message}.
"""
import json
import os
import sys
import time


IDLE_AFTER_ROUND = 0.25  # seconds


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def blas_info(np):
    # numpy >= 2 describes its BLAS in show_config(mode="dicts"); older builds lack the mode.
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        return f'{blas.get("name", "?")} {blas.get("version", "")}'.strip()
    except Exception:  # noqa: BLE001 - any failure just means "unknown"
        return "unknown"


def blas_threads():
    # threadpoolctl knows the live count; without it, report what OpenBLAS reads at start-up.
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                return str(pool.get("num_threads"))
    except Exception:  # noqa: BLE001
        pass
    env = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")
    return env if env else f"default (up to {os.cpu_count()})"


def main():
    try:
        import numpy as np
    except Exception as e:  # noqa: BLE001
        np = None
        error = str(e)
    J = w = None
    for line in sys.stdin:
        msg = json.loads(line)
        op = msg.get("op")
        if op == "hello":
            if np is None:
                reply({"error": error})
                return
            reply({"numpy": np.__version__, "blas": blas_info(np), "threads": blas_threads()})
        elif op == "setup":
            J = w = None  # release the previous size first
            rng = np.random.default_rng(msg["seed"])
            J = rng.random((msg["K"], msg["D"]), dtype=np.float32)
            J *= 2
            J -= 1
            w = np.arange(1, msg["K"] + 1, dtype=np.float32)
            J @ J.T
            w @ J
            reply({"ok": True})
        elif op == "round":
            t0 = time.perf_counter()
            J @ J.T
            t1 = time.perf_counter()
            w @ J
            t2 = time.perf_counter()
            # OpenBLAS worker threads spin for a while after a call; let them go to sleep before the
            # JavaScript round starts, or they would take a core from it.
            time.sleep(IDLE_AFTER_ROUND)
            reply({"gram": (t1 - t0) * 1e3, "combine": (t2 - t1) * 1e3})
        elif op == "quit":
            return


if __name__ == "__main__":
    main()
