import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // An order that needs freight keeps a shipments row without parcels, so a redelivered
  // order.created finds it and a capture that should never come is refused.
  await knex.raw('ALTER TABLE shipments DROP CONSTRAINT shipments_status_check');
  await knex.raw(
    `ALTER TABLE shipments ADD CONSTRAINT shipments_status_check CHECK (status IN ('address_verified', 'address_rejected', 'freight_required', 'label_purchased'))`,
  );
  await knex.schema.alterTable('shipments', (table) => {
    table.text('freight_reason');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('shipments', (table) => {
    table.dropColumn('freight_reason');
  });
  await knex('shipments').where({ status: 'freight_required' }).delete();
  await knex.raw('ALTER TABLE shipments DROP CONSTRAINT shipments_status_check');
  await knex.raw(
    `ALTER TABLE shipments ADD CONSTRAINT shipments_status_check CHECK (status IN ('address_verified', 'address_rejected', 'label_purchased'))`,
  );
}
