"""The challenge leaderboard: entries, scoring queue, boards, plots and the board web page.

Modules (one job each):

- `config`: where the database and the entry files live, caps and scoring sizes (from the
  environment, so the same code runs on SQLite locally and PostgreSQL in docker-compose).
- `schema`: the SQLAlchemy tables (students/pseudonyms, entries, scored runs, seed sets,
  final selections, settings).
- `store`: the database handle (`Store`), its clock and the instructor-configurable settings.
- `pseudonyms`: generated and chosen pseudonyms.
- `seeds`: the public and final secret seed of each challenge; revealing the final board.
- `submissions`: `submit_entry`, the daily cap and the immutable copy of an entry's files.
- `scoring`: running the scorer (`mlphys.challenges.score_entry`) in the sandbox.
- `intake`: challenge submissions handed over by the course exchange.
- `hub_users`: the hub's user names, so that no pseudonym impersonates one.
- `worker`: `run_once()`, which scores everything queued and stores the results.
- `final`: freezing each student's best public entries and queueing their final-seed runs.
- `ranking`: boards in pandas (best entry per student, statistical ties, reference rows).
- `boards`: loading a board from the database into the table the page and the CSV show.
- `plots`: score distribution and progress plots as PNG bytes.
- `references`: the reference entries (random policy, course example autoencoder, baseline policy).
- `replay`: re-running a stored scored run with its stored seed.
- `web`: the board page as a JupyterHub service (tornado, HubOAuth).
- `cli`: ``course challenge replay ENTRY_ID`` (`replay_cli`).

TensorFlow is only ever imported in the scoring sandbox, never by these modules.
"""
