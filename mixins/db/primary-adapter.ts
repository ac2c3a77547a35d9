/**
 * moleculer-db adapters for `this.adapter` that reuse the connection DbMixin
 * already opened, define the model without `sync()` (tables come from
 * migrations) and never close the shared connection on service stop.
 */
import SequelizeDbAdapter from "moleculer-db-adapter-sequelize";
import MongooseDbAdapter from "moleculer-db-adapter-mongoose";
import type { ServiceBroker, Service } from "moleculer";
import { DataTypes, type ModelAttributes, type Sequelize } from "sequelize";
import type { Connection, Model } from "mongoose";
import type { EntityDefinition, FieldType } from "./entity";

const SEQUELIZE_TYPES: Record<FieldType, DataTypes.DataType> = {
  string: DataTypes.TEXT,
  text: DataTypes.TEXT,
  integer: DataTypes.INTEGER,
  bigint: DataTypes.BIGINT,
  boolean: DataTypes.BOOLEAN,
  date: DataTypes.DATE,
  json: DataTypes.JSONB,
  float: DataTypes.DOUBLE,
};

export function sequelizeAttributes(entity: EntityDefinition): ModelAttributes {
  const attributes: ModelAttributes = { id: { type: DataTypes.TEXT, primaryKey: true } };
  for (const [field, def] of Object.entries(entity.fields)) {
    attributes[field] = { type: SEQUELIZE_TYPES[def.type], allowNull: !def.required };
  }
  return attributes;
}

export class SharedSequelizeAdapter extends SequelizeDbAdapter {
  constructor(
    private readonly connection: () => Sequelize,
    private readonly schemaName: string,
    private readonly entity: EntityDefinition,
  ) {
    // The parent only uses its options to build a Sequelize in connect(), which we override.
    super("postgres://unused");
  }

  override init(broker: ServiceBroker, service: Service): void {
    // Skip the parent's "model required in schema" check: the model is built from the entity definition.
    const self = this as unknown as { broker: ServiceBroker; service: Service };
    self.broker = broker;
    self.service = service;
  }

  override async connect(): Promise<void> {
    const sequelize = this.connection();
    // Model names are global to a Sequelize; the embedded one is shared by every service.
    const modelName = `${this.schemaName}_${this.entity.table}`;
    const model =
      sequelize.models[modelName] ??
      sequelize.define(modelName, sequelizeAttributes(this.entity), {
        tableName: this.entity.table,
        schema: this.schemaName,
        underscored: true,
        timestamps: true,
      });
    const self = this as unknown as { db: Sequelize; model: unknown; service: { model: unknown } };
    self.db = sequelize;
    self.model = model;
    self.service.model = model;
  }

  override async disconnect(): Promise<void> {
    // DbMixin releases the connection; closing it here would break other services sharing it.
  }
}

export class SharedMongooseAdapter extends MongooseDbAdapter<never> {
  constructor(
    private readonly connection: () => Connection,
    private readonly modelOf: () => Model<unknown>,
  ) {
    super("mongodb://unused");
  }

  override init(broker: ServiceBroker, service: Service): void {
    const self = this as unknown as { broker: ServiceBroker; service: Service };
    self.broker = broker;
    self.service = service;
  }

  override async connect(): Promise<void> {
    const self = this as unknown as {
      db: unknown;
      conn: Connection;
      model: Model<unknown>;
      service: { model: unknown };
    };
    self.conn = this.connection();
    self.db = this.connection().db;
    self.model = this.modelOf();
    self.service.model = self.model;
  }

  override async disconnect(): Promise<void> {
    // Shared, refcounted connection: see mongo-connection.ts.
  }
}
