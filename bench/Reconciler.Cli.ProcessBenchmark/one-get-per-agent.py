"""The issue's yardstick for small organisations: a naive script that reads every agent with one GET each.

It lists the agents for their ids (the API reads an object by id), then GETs each one on a new connection, as a
script written with the standard library would, and compares nothing. Usage: one-get-per-agent.py BASE_URL, with
the token in RECONCILER_PLATFORM_TOKEN; prints the number of agents read.
"""
import json
import os
import sys
import urllib.parse
import urllib.request

base = sys.argv[1].rstrip("/") + "/api/v1/"
headers = {"Authorization": "Bearer " + os.environ["RECONCILER_PLATFORM_TOKEN"]}


def get(path):
    with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)) as response:
        return json.load(response)


ids, cursor = [], None
while True:
    page = get("agents?limit=1000" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else ""))
    ids += [agent["id"] for agent in page["items"]]
    cursor = page.get("nextCursor")
    if not cursor:
        break
for agent_id in ids:
    get("agents/" + agent_id)
print(len(ids))
