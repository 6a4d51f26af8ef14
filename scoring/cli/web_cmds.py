"""``parindex serve`` (the web app) and ``parindex user`` (its accounts)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from scoring.cli import texts
from scoring.cli.base import actor, app, guard, lazy, now, out, store
from scoring.cli.texts import t
from scoring.errors import SubmissionError

user_app = typer.Typer(help="Accounts of the web app.", no_args_is_help=True)
app.add_typer(user_app, name="user")

accounts = lazy("scoring.store.accounts")
views = lazy("scoring.store.views")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Send cookies over HTTPS only (behind TLS).")
    ] = False,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            help="A reverse proxy (IP address or network) whose X-Forwarded-For names the "
            "client; repeatable. Without it the header is ignored.",
        ),
    ] = None,
) -> None:
    """Start the web app on the same store as the CLI (--db / $PARINDEX_DB).

    Example: parindex serve --port 8000 --trusted-proxy 127.0.0.1
    """

    def body() -> None:
        import uvicorn

        from scoring.web import create_app

        application = create_app(
            store(), secure_cookies=secure_cookies, trusted_proxies=trusted_proxy or ()
        )
        out.print(t("serving", host=host, port=port), markup=False)
        # the app reads proxy headers itself, from --trusted-proxy only: uvicorn's own
        # reading (on by default, trusting 127.0.0.1 or $FORWARDED_ALLOW_IPS) stays off
        uvicorn.run(application, host=host, port=port, log_level="warning", proxy_headers=False)

    guard(body)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Sign-in name, e.g. nguyen.van.a")],
    role: Annotated[str, typer.Option("--role", help="officer | appraiser | auditor | admin")],
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            help="The officer's unit id (one of a stored campaign's units), e.g. so-tai-chinh.",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Full name, as shown.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a web account (the password is asked for, or read with --password-stdin).

    Example: parindex user add nguyen.van.a --role officer --unit so-tai-chinh --name "Nguyễn Văn A"
    """

    def body() -> None:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt(t("password"), hide_input=True, confirmation_prompt=True)
        if not password:
            raise SubmissionError("no password given", vi="chưa nhập mật khẩu")
        st = store()
        # an officer's unit must be one of some campaign's units (as on the Accounts page)
        known = {uid for uid, _ in views.unit_choices(st)} if unit else None
        acc = accounts.add(
            st,
            username,
            role,
            password,
            display_name=name,
            unit=unit,
            actor=actor(),
            now=now(),
            known_units=known,
        )
        out.print(t("account_created", user=acc.username, role=texts.role(acc.role)), markup=False)

    guard(body)


@user_app.command("list")
def user_list() -> None:
    """List the web accounts (never their passwords).

    Example: parindex user list
    """

    def body() -> None:
        for a in accounts.listing(store(read_only=True)):
            state = t("account_active" if a.active else "account_off")
            out.print(
                f"{a.username}\t{texts.role(a.role)}\t{a.unit_id or '-'}\t{state}\t"
                f"{a.display_name}",
                markup=False,
            )

    guard(body)


@user_app.command("unlock")
def user_unlock(username: Annotated[str, typer.Argument(help="Sign-in name.")]) -> None:
    """Lift an account's sign-in lockout after failed sign-ins (recorded in the audit log).

    Example: parindex user unlock nguyen.van.a
    """

    def body() -> None:
        accounts.unlock(store(), username, actor=actor(), now=now())
        out.print(t("account_unlocked", user=username), markup=False)

    guard(body)


@user_app.command("disable")
def user_disable(username: Annotated[str, typer.Argument(help="Sign-in name.")]) -> None:
    """Disable an account and end its sessions.

    Example: parindex user disable nguyen.van.a
    """

    def body() -> None:
        accounts.set_active(store(), username, False, actor=actor(), now=now())
        out.print(t("account_disabled", user=username), markup=False)

    guard(body)
