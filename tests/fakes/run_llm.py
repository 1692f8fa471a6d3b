"""Run the fake LLM providers by hand, e.g. behind ``frenchnovel serve`` for a demo without a key.

python -m tests.fakes.run_llm --latency 0.5
GEMINI_API_KEY=test-key GEMINI_BASE_URL=<printed url> frenchnovel serve
"""

from __future__ import annotations

import argparse
import time

from tests.fakes.llm_server import FakeLLMServer


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake Gemini and OpenAI-compatible servers.")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--key", default="test-key", help="the API key the fake accepts")
    args = parser.parse_args()
    with FakeLLMServer(latency=args.latency, api_key=args.key) as fake:
        print(f"GEMINI_BASE_URL={fake.gemini_url}\nOPENAI_BASE_URL={fake.openai_url}", flush=True)
        try:
            while True:
                time.sleep(10)
                print(f"{len(fake.requests)} requests, {fake.usage:,} tokens", flush=True)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
