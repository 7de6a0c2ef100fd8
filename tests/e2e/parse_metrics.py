#!/usr/bin/env python3
"""Reads Prometheus' text exposition format on stdin with the official client's parser and
prints every sample as one line: name{label="value",...} value (labels sorted). A format
error is a non-zero exit with the parser's message, so the end-to-end test fails on it."""
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = sys.stdin.read()
    try:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                labels = ",".join(
                    '%s="%s"' % (k, v) for k, v in sorted(sample.labels.items()))
                print("%s{%s} %r" % (sample.name, labels, float(sample.value)))
    except Exception as error:  # the parser raises ValueError and others
        print("metrics: %s" % error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
