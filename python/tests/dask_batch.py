"""Run by test_dask.py in a process of its own (so that the Dask cluster's
threads never live in the pytest process, which forks pools elsewhere):
a batch on a LocalCluster of 2 worker processes, printed as JSON."""

import json
import os
import sys

import distributed

import commitments


def main(folder):
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                       processes=True,
                                       dashboard_address=":0",
                                       silence_logs=50)
    try:
        with distributed.Client(cluster) as client:
            out = {
                "rows": commitments.batch.run(
                    [folder], views=["all", "verified"], executor=client,
                    timeout=120),
                "unknown_view": commitments.batch.run(
                    [os.path.join(folder, "b.cmt")], views=["ZZ"],
                    executor=client, timeout=120),
                "paths": sorted(client.run(commitments.library_path)
                                .values()),
                "pids": sorted(client.run(os.getpid).values()),
                "pid": os.getpid(),
            }
            # through the current client too
            out["current"] = commitments.batch.run(
                [os.path.join(folder, "b.cmt")], executor="dask",
                timeout=120)
    finally:
        cluster.close()
    json.dump(out, sys.stdout, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
