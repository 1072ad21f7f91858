import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per parcel of an order's shipment, numbered from 1. The weights are planned when the
  // address is verified; the label columns are filled when the labels are bought. The shipments
  // row keeps the first parcel's weight and label in its own columns.
  await knex.schema.createTable('shipment_parcels', (table) => {
    table
      .text('order_id')
      .notNullable()
      .references('order_id')
      .inTable('shipments')
      .onDelete('CASCADE');
    table.integer('parcel_number').notNullable();
    table.integer('weight_oz').notNullable();
    table.text('shipment_id');
    table.text('tracker_id');
    table.text('tracking_code');
    table.bigInteger('rate_minor');
    table.text('label_url');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('label_purchased_at', { useTz: true });
    table.primary(['order_id', 'parcel_number']);
  });
  await knex.raw(
    'ALTER TABLE shipment_parcels ADD CONSTRAINT shipment_parcels_number_check CHECK (parcel_number >= 1)',
  );
  // NOTE: shipments stored before this migration get one parcel of their stored weight, which
  // was capped at 2,400 oz. The order lines are not stored, so such an order is not repacked.
  await knex.raw(`
    INSERT INTO shipment_parcels (order_id, parcel_number, weight_oz, shipment_id, tracker_id,
      tracking_code, rate_minor, label_url, label_purchased_at)
    SELECT order_id, 1, parcel_weight_oz, shipment_id, tracker_id, tracking_code, rate_minor,
      label_url, label_purchased_at
    FROM shipments
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('shipment_parcels');
}
