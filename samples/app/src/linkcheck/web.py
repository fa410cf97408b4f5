"""A small Flask service: POST a list of URLs, get a report back."""

from __future__ import annotations

from flask import Flask, jsonify, request

from linkcheck.checker import check_links
from linkcheck.report import render_report

app = Flask(__name__)


@app.route("/check", methods=["POST"])
def check() -> object:
    payload = request.get_json(force=True)
    results = check_links(list(payload.get("urls", [])), proxy=payload.get("proxy"))
    return jsonify([{"url": r.url, "status": r.status, "error": r.error} for r in results])


@app.route("/report", methods=["POST"])
def report() -> str:
    urls = request.form.getlist("url")
    results = check_links(urls)
    return render_report("Link report", results, attrs={"data-source": request.remote_addr or ""})
