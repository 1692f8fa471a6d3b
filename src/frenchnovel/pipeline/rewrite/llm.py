"""The engine behind ``gemini`` and ``openai``: batches, a shared schedule, checks and fallbacks.

Only sentences over the limit go to the model, ``batch_size`` per request, up to ``concurrency``
requests in flight (batch_call.py sends them within the provider's limits). A sentence whose
answer stays bad after one more try, and every sentence of a batch the provider keeps failing
(429, 5xx, network) past the retry budget, is rewritten by ``local`` and counted as a fallback:
only a refused request (400/401/403) or a cancel stops the call.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextvars import copy_context

from frenchnovel.pipeline.options import JobOptions
from frenchnovel.pipeline.rewrite import CancelCheck, RewriteOutcome
from frenchnovel.pipeline.rewrite.batch_call import BatchCall
from frenchnovel.pipeline.rewrite.local import LocalRewriter, is_dialogue
from frenchnovel.pipeline.rewrite.prompt import estimate_request_tokens
from frenchnovel.pipeline.rewrite.provider import Batch, Provider, keyed
from frenchnovel.pipeline.rewrite.ratelimit import Limiter
from frenchnovel.pipeline.rewrite.retry import RetryPolicy
from frenchnovel.pipeline.rewrite.surface import plain_typography
from frenchnovel.pipeline.words import count_words

__all__ = ["LLMRewriter", "Provider", "estimate_llm_tokens", "needs_model", "plan_batches"]


def needs_model(sentence: str, options: JobOptions) -> bool:
    """Whether ``sentence`` is sent to the model: over the limit, and not dialogue left alone."""
    if count_words(sentence) <= options.sentence_length_limit:
        return False
    # Dialogue left alone is kept verbatim, exactly as the local engine keeps it.
    return not (options.ignore_dialogue and is_dialogue(sentence))


def plan_batches(sentences: Sequence[str], options: JobOptions, batch_size: int) -> list[Batch]:
    """The requests a call makes: the sentences to send, ``batch_size`` at a time, in order."""
    todo = [(i, s) for i, s in enumerate(sentences) if needs_model(s, options)]
    return [todo[k : k + batch_size] for k in range(0, len(todo), batch_size)]


def estimate_llm_tokens(sentences: Sequence[str], options: JobOptions, *, batch_size: int) -> int:
    """Tokens a job is expected to use: prompt and answer of each request it will send.

    Sentences within the limit are not sent, so they cost nothing.
    """
    return sum(
        estimate_request_tokens(keyed(batch), options)
        for batch in plan_batches(sentences, options, batch_size)
    )


class LLMRewriter:
    """A ``Rewriter`` that sends batches to ``provider`` within ``limiter``'s schedule."""

    def __init__(
        self,
        provider: Provider,
        limiter: Limiter,
        *,
        batch_size: int,
        concurrency: int,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.provider = provider
        self.limiter = limiter
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.policy = policy or RetryPolicy()
        self.engine = provider.engine
        self.model = provider.model

    def rewrite(
        self,
        sentences: Sequence[str],
        options: JobOptions,
        *,
        cancelled: CancelCheck | None = None,
    ) -> RewriteOutcome:
        """Rewrite every sentence over the limit through the model; the others pass through."""
        pieces = [[s] for s in sentences]
        batches = plan_batches(sentences, options, self.batch_size)
        if not batches:
            return RewriteOutcome(pieces)
        call = BatchCall(self.provider, self.limiter, self.policy, options, cancelled)
        with ThreadPoolExecutor(min(self.concurrency, len(batches)), "llm") as pool:
            # Each request runs in the caller's context (its log ids and trace span go along).
            futures = [pool.submit(copy_context().run, call.run, batch) for batch in batches]
            wait(futures)
        call.raise_first_error(futures)
        failed: Batch = []
        for future in futures:
            accepted, refused = future.result()
            for index, rewritten in accepted.items():
                pieces[index] = rewritten
            failed.extend(refused)
        if failed:
            local = LocalRewriter().rewrite([text for _, text in failed], options)
            for (index, _), rewritten in zip(failed, local.pieces, strict=True):
                pieces[index] = rewritten
        if not options.preserve_formatting:
            # The same plain typography as the local engine, whatever the model wrote.
            pieces = [
                group
                if options.ignore_dialogue and is_dialogue(s)
                else [plain_typography(piece) for piece in group]
                for s, group in zip(sentences, pieces, strict=True)
            ]
        return RewriteOutcome(pieces, tokens=call.tokens, fallbacks=len(failed))
