package reindent

// closes lists the places where the flat text cannot say which of two
// properties maps a property belongs to: an inline object schema ends with
// its own properties map, and the next property could continue that map or
// the enclosing one. The key "PATH/NAME" means the properties map at PATH
// does not take NAME (so an enclosing map does). Each entry says where the
// answer comes from.
var closes = map[string]bool{
	// flow_action_payload holds only `screen` and `data` (Meta, "Flow
	// Messages": interactive.action.parameters.flow_action_payload.screen
	// and .data, https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-flow-messages);
	// reference_id, type, beneficiaries, currency, total_amount, order and
	// payment_settings are action parameters of order_details messages
	// (Meta, "Payments API — payment gateway": action.parameters.reference_id, …,
	// https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/pg/).
	"components/schemas/WhatsappMessageInteractiveActionParameters/properties/flow_action_payload/properties/reference_id": true,
}
