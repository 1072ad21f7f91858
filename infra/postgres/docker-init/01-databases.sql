-- Creates one login role and one database per service, each database owned by its role.
-- The official postgres image runs the files in /docker-entrypoint-initdb.d with psql once, when
-- its data directory is empty. docker-compose.yml mounts this folder there.
--
-- Passwords come from the container environment through psql's \getenv (psql 15 or newer).
-- docker-compose.yml sets every ORDERFLOW_<SERVICE>_DB_PASSWORD, with a development default.
-- An unset variable leaves its :'name' reference unexpanded, so the statement fails and the
-- entrypoint stops instead of creating a role without a password.

\getenv gateway_password ORDERFLOW_GATEWAY_DB_PASSWORD
\getenv payment_password ORDERFLOW_PAYMENT_DB_PASSWORD
\getenv shipping_password ORDERFLOW_SHIPPING_DB_PASSWORD
\getenv tax_password ORDERFLOW_TAX_DB_PASSWORD
\getenv fraud_password ORDERFLOW_FRAUD_DB_PASSWORD
\getenv notification_password ORDERFLOW_NOTIFICATION_DB_PASSWORD
\getenv crm_sync_password ORDERFLOW_CRM_SYNC_DB_PASSWORD

CREATE ROLE orderflow_gateway LOGIN PASSWORD :'gateway_password';
CREATE DATABASE orderflow_gateway OWNER orderflow_gateway;
REVOKE ALL ON DATABASE orderflow_gateway FROM PUBLIC;

CREATE ROLE orderflow_payment LOGIN PASSWORD :'payment_password';
CREATE DATABASE orderflow_payment OWNER orderflow_payment;
REVOKE ALL ON DATABASE orderflow_payment FROM PUBLIC;

CREATE ROLE orderflow_shipping LOGIN PASSWORD :'shipping_password';
CREATE DATABASE orderflow_shipping OWNER orderflow_shipping;
REVOKE ALL ON DATABASE orderflow_shipping FROM PUBLIC;

CREATE ROLE orderflow_tax LOGIN PASSWORD :'tax_password';
CREATE DATABASE orderflow_tax OWNER orderflow_tax;
REVOKE ALL ON DATABASE orderflow_tax FROM PUBLIC;

CREATE ROLE orderflow_fraud LOGIN PASSWORD :'fraud_password';
CREATE DATABASE orderflow_fraud OWNER orderflow_fraud;
REVOKE ALL ON DATABASE orderflow_fraud FROM PUBLIC;

CREATE ROLE orderflow_notification LOGIN PASSWORD :'notification_password';
CREATE DATABASE orderflow_notification OWNER orderflow_notification;
REVOKE ALL ON DATABASE orderflow_notification FROM PUBLIC;

CREATE ROLE orderflow_crm_sync LOGIN PASSWORD :'crm_sync_password';
CREATE DATABASE orderflow_crm_sync OWNER orderflow_crm_sync;
REVOKE ALL ON DATABASE orderflow_crm_sync FROM PUBLIC;
