"""The cluster's deployment files say what deploy/Procfile says (no Docker engine needed).

deploy/Procfile is the one source for the processes' commands: compose.yaml runs each app process
with the same command (web binds 0.0.0.0:8000 instead of a loopback port), the image's default
command is the web one, and compose passes only settings the app actually reads.
"""

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SETTINGS = ROOT / "src" / "qualitymonth" / "settings.py"

# Procfile processes that compose runs from their own images, not the app's.
OWN_IMAGES = {"redis", "nginx"}
# Compose services of the app image that the Procfile has no line for.
ONE_SHOT = {"migrate"}


def procfile_processes(text: str) -> dict[str, str]:
    processes = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            processes[name.strip()] = command.strip()
    return processes


def service_for(process: str) -> str:
    """web1, web2 … of the loopback cluster are the one scaled service "web" in compose."""
    return "web" if re.fullmatch(r"web\d+", process) else process


def normalised(command: str | list[str]) -> list[str]:
    """The command's words, with whatever address gunicorn binds replaced by one placeholder."""
    words = shlex.split(command) if isinstance(command, str) else list(command)
    out = []
    for index, word in enumerate(words):
        if index and words[index - 1] == "--bind":
            out.append("ADDRESS")
        elif word.startswith("--bind="):
            out.append("--bind=ADDRESS")
        else:
            out.append(word)
    return out


def app_services(compose: dict) -> dict[str, dict]:
    image = compose["x-app"]["image"]
    return {
        name: service
        for name, service in compose["services"].items()
        if "build" in service or service.get("image") == image
    }


def mismatches(procfile_text: str, compose: dict) -> list[str]:
    """Every way the Procfile and compose.yaml disagree, in words."""
    problems = []
    processes = procfile_processes(procfile_text)
    apps = app_services(compose)
    for process, command in processes.items():
        if process in OWN_IMAGES:
            service = compose["services"].get(process)
            if service is None or process in apps:
                problems.append(f"Procfile's {process} has no compose service of its own image")
            continue
        name = service_for(process)
        if name not in apps:
            problems.append(f"Procfile's {process} has no compose service {name!r}")
        elif normalised(apps[name]["command"]) != normalised(command):
            problems.append(
                f"compose's {name} runs {apps[name]['command']!r}, the Procfile's {process} {command!r}"
            )
    expected = {service_for(process) for process in processes} | ONE_SHOT
    for name in sorted(set(apps) - expected):
        problems.append(f"compose's {name} runs the app image but the Procfile has no {name}")
    return problems


def environment_names_read(path: Path) -> set[str]:
    """The environment variables a settings file reads, as written in it."""
    text = path.read_text()
    pattern = r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z][A-Z0-9_]*)"|os\.environ\["([A-Z][A-Z0-9_]*)"\]'
    return {a or b for a, b in re.findall(pattern, text)}


def names_the_app_reads() -> set[str]:
    return environment_names_read(SETTINGS) | environment_names_read(DEPLOY / "gunicorn.conf.py")


def resolved(environment: dict[str, str], given: dict[str, str]) -> dict[str, str]:
    """compose's interpolation of ${NAME}, ${NAME:-default} and ${NAME:?error} from `given`."""

    def value(match: re.Match) -> str:
        name, kind, rest = match.group(1), match.group(2), match.group(3)
        if name in given:
            return given[name]
        if kind == ":?":
            raise KeyError(f"compose refuses to start without {name}: {rest}")
        return rest if kind == ":-" else ""

    pattern = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}")
    return {key: pattern.sub(value, str(raw)) for key, raw in environment.items()}


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments left out."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in joined.splitlines()
        if line.strip()
    ]


def procfile_text() -> str:
    return (DEPLOY / "Procfile").read_text()


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


# --- Procfile and compose.yaml ---------------------------------------------------------------


def test_every_procfile_process_runs_in_compose_with_the_same_command():
    assert mismatches(procfile_text(), compose()) == []


def test_a_procfile_process_renamed_without_compose_is_caught():
    renamed = procfile_text().replace("\nquiz-flusher:", "\nquiz-flush:")
    assert renamed != procfile_text()

    problems = mismatches(renamed, compose())

    assert any("quiz-flush has no compose service" in p for p in problems)
    assert any("compose's quiz-flusher runs the app image" in p for p in problems)


def test_a_procfile_command_changed_without_compose_is_caught():
    changed = procfile_text().replace("flush-votes --every 0.5", "flush-votes --every 2")
    assert changed != procfile_text()

    assert [p for p in mismatches(changed, compose()) if "vote-flusher" in p]


def test_redis_and_nginx_run_from_their_own_images():
    services = compose()["services"]

    assert services["redis"]["image"].startswith("redis:")
    assert "--appendonly yes" in services["redis"]["command"]
    assert services["nginx"]["image"] == "nginx:1.27"
    mounted = {v.split(":")[0]: v.split(":")[1] for v in services["nginx"]["volumes"]}
    assert mounted["./nginx.compose.conf"] == "/etc/nginx/conf.d/default.conf"
    assert (DEPLOY / "nginx.compose.conf").is_file()


def test_web_is_scaled_checked_on_readyz_and_reached_by_nginx_on_its_port():
    web = compose()["services"]["web"]

    assert "replicas" in web["deploy"]
    assert "/readyz" in " ".join(web["healthcheck"]["test"])
    assert normalised(web["command"])[normalised(web["command"]).index("--bind") + 1] == "ADDRESS"
    assert "--bind 0.0.0.0:8000" in web["command"]
    assert re.search(r"server\s+web:8000\b", (DEPLOY / "nginx.compose.conf").read_text())


def test_migrate_runs_once_before_the_app_starts():
    services = compose()["services"]

    assert services["migrate"]["restart"] == "no"
    assert "migrate --no-input" in services["migrate"]["command"]
    assert "createcachetable" in services["migrate"]["command"]
    for name in app_services(compose()).keys() - ONE_SHOT:
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


# --- the settings compose passes ------------------------------------------------------------


def test_the_settings_parser_finds_what_settings_and_gunicorn_read():
    names = names_the_app_reads()

    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "TRUSTED_PROXY_COUNT"} <= names
    assert {"PROMETHEUS_MULTIPROC_DIR", "WEB_CONCURRENCY", "WEB_TIMEOUT"} <= names
    assert "NOT_A_SETTING" not in names


def test_compose_passes_only_settings_the_app_reads():
    environment = compose()["x-environment"]

    assert set(environment) - names_the_app_reads() == set()


def test_every_app_service_gets_the_shared_environment():
    document = compose()
    for name, service in app_services(document).items():
        assert service["environment"] == document["x-environment"], name


def test_compose_environment_is_the_production_topology():
    environment = compose()["x-environment"]

    assert environment["BEHIND_PROXY"] == "1"
    assert environment["TRUSTED_PROXY_COUNT"] == "1"  # nginx, and nothing else, in front
    assert environment["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert environment["DASHBOARD_REFRESH_ON_READ"] == "0"
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["PROMETHEUS_MULTIPROC_DIR"] in app_services(compose())["web"]["tmpfs"]
    media = app_services(compose())["web"]["volumes"][0].split(":")[1]
    assert environment["MEDIA_ROOT"].startswith(media + "/")
    assert environment["PRIVATE_MEDIA_ROOT"].startswith(media + "/")


def test_compose_holds_no_secret_only_references_to_one():
    environment = compose()["x-environment"]

    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", environment["SECRET_KEY"])
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert re.fullmatch(
        r"\$\{POSTGRES_PASSWORD:\?[^}]*\}",
        compose()["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"],
    )


def test_compose_refuses_to_start_without_the_secret_key():
    environment = compose()["x-environment"]
    given = {"ALLOWED_HOSTS": "qm.example.org", "POSTGRES_PASSWORD": "pw"}

    with pytest.raises(KeyError, match="SECRET_KEY"):
        resolved(environment, given)


def test_the_postgres_server_is_one_the_images_pg_dump_can_back_up():
    # Debian bookworm's postgresql-client is 15; pg_dump refuses a server newer than itself.
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    image = compose()["services"]["postgres"]["image"]

    assert "python:3.11-slim-bookworm" in dockerfile and "postgresql-client" in dockerfile
    assert int(image.split(":")[1].split(".")[0]) <= 15


# --- the image ------------------------------------------------------------------------------


def test_the_image_runs_the_web_command_by_default():
    instructions = dockerfile_instructions((DEPLOY / "Dockerfile").read_text())
    final = instructions[max(i for i, (op, _) in enumerate(instructions) if op == "FROM") :]
    commands = [json.loads(args) for op, args in final if op in {"ENTRYPOINT", "CMD"}]
    web = procfile_processes(procfile_text())["web1"]

    assert [op for op, _ in final if op == "ENTRYPOINT"] == []
    assert normalised(commands[-1]) == normalised(web)
    assert "0.0.0.0:8000" in commands[-1]
    assert ("EXPOSE", "8000") in final


def test_the_image_installs_the_pinned_requirements_then_the_project():
    instructions = dockerfile_instructions((DEPLOY / "Dockerfile").read_text())
    final = instructions[max(i for i, (op, _) in enumerate(instructions) if op == "FROM") :]
    copied = [
        i for i, (op, args) in enumerate(final) if op == "COPY" and "requirements.txt" in args
    ]
    installed = [
        i for i, (op, args) in enumerate(final) if op == "RUN" and "-r requirements.txt" in args
    ]
    project = [i for i, (op, args) in enumerate(final) if op == "RUN" and "--no-deps" in args]

    assert final[0] == ("FROM", "python:3.11-slim-bookworm")
    assert copied and installed and project
    assert copied[0] < installed[0] < project[0]


def test_the_image_runs_as_a_user_and_bakes_in_no_secret():
    instructions = dockerfile_instructions((DEPLOY / "Dockerfile").read_text())
    users = [args for op, args in instructions if op == "USER"]
    env_names = {
        word.split("=")[0] for op, args in instructions if op == "ENV" for word in args.split()
    }

    assert users and users[-1] not in {"root", "0"}
    assert not env_names & {
        "SECRET_KEY",
        "DATABASE_URL",
        "POSTGRES_PASSWORD",
        "S3_SECRET_ACCESS_KEY",
    }
    assert not [args for op, args in instructions if op in {"ARG", "ENV"} and "SECRET" in args]


def test_the_image_builds_the_front_end_files_and_collects_static_files():
    text = (DEPLOY / "Dockerfile").read_text()

    assert "FROM node:20-slim" in text and "npm ci" in text
    assert "tools/vendor_assets.py" in text
    assert "collectstatic --no-input" in text
