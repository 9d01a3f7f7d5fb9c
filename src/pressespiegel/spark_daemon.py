"""PySpark's Python daemon with pressespiegel's models loaded before it forks its workers.

Spark starts one Python daemon per executor, which forks a worker process for each task slot; by default every
worker loads the entity tagger and builds the gazetteer itself (seconds each). With
``spark.python.daemon.module=pressespiegel.spark_daemon`` (``spark_job.session`` sets it for local sessions; add it
to ``spark-submit --conf`` on a cluster) the daemon loads them once and its forked workers share them. In a local
session (``PRESSESPIEGEL_WORKER_NICE`` set) the workers also run nicer than the driver, as ``run``'s workers do: the
driver's loading is sequential and everything waits for it.
"""

import os

from pyspark import daemon

if __name__ == "__main__":
    from pressespiegel.parallel import lower_priority
    from pressespiegel.pipeline import warm

    warm()
    if os.environ.get("PRESSESPIEGEL_WORKER_NICE"):
        lower_priority(int(os.environ["PRESSESPIEGEL_WORKER_NICE"]))
    daemon.manager()
