"""Own the start-up check: say which configured service is unusable and how to fix it."""
from __future__ import annotations

import httpx

from cityqa.errors import ConfigError
from cityqa.language import FILES, say
from cityqa.settings import Settings


def check_llm(settings: Settings) -> str:
    """Check the configured chat endpoint is reachable and has the model; return a one-line status."""
    mode, code = settings.llm_mode(), settings.language if settings.language in FILES else "en"  # 繁體: English
    if mode is None:
        return say("endpoint_none", code)
    if mode == "fake":
        return say("endpoint_fake", code)
    base = (settings.llm_base_url or "http://127.0.0.1:11434").rstrip("/")
    url = f"{base}/api/tags" if mode == "ollama" else f"{base}/models"
    headers = {"Authorization": f"Bearer {settings.llm_api_key.get_secret_value()}"} if settings.llm_api_key else {}
    try:
        reply = httpx.get(url, headers=headers, timeout=5)
    except httpx.HTTPError as exc:
        raise ConfigError(f"无法连接大模型服务 {base}（{type(exc).__name__}）：请检查 CITYQA_LLM_BASE_URL",
                          f"cannot reach the LLM endpoint {base} ({type(exc).__name__}): "
                          "check CITYQA_LLM_BASE_URL") from None
    if reply.status_code in (401, 403):
        raise ConfigError("大模型服务拒绝了 API 密钥：请检查 CITYQA_LLM_API_KEY",
                          "the LLM endpoint refused the API key: check CITYQA_LLM_API_KEY")
    if reply.status_code >= 400:
        raise ConfigError(f"大模型服务返回 {reply.status_code}：请检查 CITYQA_LLM_BASE_URL（{base}）",
                          f"the LLM endpoint answered {reply.status_code}: check CITYQA_LLM_BASE_URL ({base})")
    data = reply.json()
    names = [m.get("name") or m.get("model") for m in data.get("models", [])] if mode == "ollama" else \
            [m.get("id") for m in data.get("data", [])]
    model = settings.llm_model or ""
    if model and not any(n == model or (n or "").split(":")[0] == model for n in names):
        fix = (f"ollama pull {model}" if mode == "ollama"
               else "set CITYQA_LLM_MODEL to one of: " + ", ".join(map(str, names[:10])))
        raise ConfigError(f"大模型服务没有模型 {model}：{fix}", f"the LLM endpoint has no model {model}: {fix}")
    return say("endpoint_ok", code, mode=mode, model=model, url=base)
