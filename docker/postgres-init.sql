-- Databases beside the hub's: nbgrader's gradebook (COURSE_GRADEBOOK_URL) and the challenge
-- leaderboard (COURSE_LEADERBOARD_DB_URL).
CREATE DATABASE gradebook OWNER jupyterhub;
CREATE DATABASE leaderboard OWNER jupyterhub;
