package workflow

// Recurring costs of what fixes create, as us-east-1 list prices (labelled
// so wherever they are shown). A month is 730 hours.
const (
	hoursPerMonth              = 730.0
	InterfaceEndpointHourlyUSD = 0.01  // per endpoint per AZ, plus $0.01/GB processed
	NATGatewayHourlyUSD        = 0.045 // per NAT gateway, plus $0.045/GB processed
	PublicIPv4HourlyUSD        = 0.005 // per public IPv4 address (one per task)
	PriceNote                  = "us-east-1 list prices"
)

func monthly(hourly float64, units int) *float64 {
	v := float64(int(hourly*hoursPerMonth*float64(units)*100+0.5)) / 100
	return &v
}

func free() *float64 {
	v := 0.0
	return &v
}
