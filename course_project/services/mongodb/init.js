// Compose only (mongosh, /docker-entrypoint-initdb.d): create the application user.
// The roles come from app_user.json, the same file the native backend reads.
const e = process.env;
const spec = JSON.parse(require("fs").readFileSync("/course/app_user.json", "utf8"));
const roles = spec.roles.map((r) => ({ role: r.role, db: r.db.replace("{db}", e.MONGO_DB) }));
db.getSiblingDB("admin").createUser({ user: e.MONGO_USER, pwd: e.MONGO_PASSWORD, roles: roles });
