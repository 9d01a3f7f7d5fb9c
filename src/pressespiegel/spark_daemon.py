"""PySpark's Python daemon with pressespiegel's models loaded before it forks its workers.

Spark starts one Python daemon per executor, which forks a worker process for each task slot; by default every
worker loads the entity tagger and builds the gazetteer itself (seconds each). With
``spark.python.daemon.module=pressespiegel.spark_daemon`` (``spark_job.session`` sets it for local sessions; add it
to ``spark-submit --conf`` on a cluster) the daemon loads them once and its forked workers share them.
"""

from pyspark import daemon

if __name__ == "__main__":
    from pressespiegel.pipeline import warm

    warm()
    daemon.manager()
