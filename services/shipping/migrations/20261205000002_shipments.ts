import { createMessagingTables, dropMessagingTables } from '@orderflow/messaging';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await createMessagingTables(knex);
  await knex.schema.createTable('shipments', (table) => {
    table.text('order_id').primary();
    table.text('status').notNullable();
    table.jsonb('ship_to').notNullable();
    table.text('ship_mode').notNullable();
    // Estimated from product categories (src/domain/parcel-weight.ts). The parcel weight is the
    // estimate capped at the heaviest parcel that carriers accept.
    table.integer('estimated_weight_oz').notNullable();
    table.integer('parcel_weight_oz').notNullable();
    table.text('address_id');
    table.text('rejected_field');
    table.text('rejection_message');
    table.text('shipment_id');
    table.text('tracker_id');
    table.text('tracking_code');
    table.text('carrier');
    table.text('service');
    table.bigInteger('rate_minor');
    table.text('currency');
    table.text('label_url');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('label_purchased_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE shipments ADD CONSTRAINT shipments_status_check CHECK (status IN ('address_verified', 'address_rejected', 'label_purchased'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('shipments');
  await dropMessagingTables(knex);
}
